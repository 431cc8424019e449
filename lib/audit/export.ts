// The audit history as CSV for leads and admins. The export is itself an
// audited action, and it streams: rows are read a page at a time while the
// CSV goes out, so a long history is never held in memory at once.
import { Readable } from "node:stream";
import { stringify } from "csv-stringify";
import type { Db } from "@/db/client";
import {
  appendAuditEvent,
  countAuditEvents,
  getModelNamesByIds,
  iterateFilteredAuditEvents,
} from "@/db/queries/audit";
import type { AuditEvent, User } from "@/db/schema";
import { badRequest, unauthorized } from "@/lib/errors";
import { actorAudit, requirePermission } from "@/lib/gate/actor";
import { writeTransaction } from "@/lib/gate/transaction";
import { logFor } from "@/lib/log";
import { resolveAuditQuery } from "@/lib/views/audit-page";

const log = logFor("audit");

export const AUDIT_CSV_COLUMNS = [
  { key: "id", header: "id" },
  { key: "time", header: "time (UTC)" },
  { key: "actorType", header: "actor type" },
  { key: "actor", header: "actor" },
  { key: "action", header: "action" },
  { key: "subject", header: "subject" },
  { key: "model", header: "model" },
  { key: "summary", header: "summary" },
  { key: "details", header: "details" },
  { key: "hash", header: "hash" },
  { key: "prevHash", header: "prev hash" },
] as const;

type CsvRecord = Record<(typeof AUDIT_CSV_COLUMNS)[number]["key"], string | number>;

export function toCsvRecord(e: AuditEvent, modelName: string | null): CsvRecord {
  return {
    id: e.id,
    time: e.createdAt.toISOString(),
    actorType: e.actorType,
    actor: e.actorName,
    action: e.action,
    subject: e.subjectId === null ? e.subjectType : `${e.subjectType} #${e.subjectId}`,
    model: modelName ?? "",
    summary: e.summary,
    details: e.details === null ? "" : JSON.stringify(e.details),
    hash: e.hash,
    prevHash: e.prevHash,
  };
}

/**
 * CSV text for records, quoted as RFC 4180 wants. A text cell starting with
 * = + - @ (or a tab or carriage return) gets a leading apostrophe
 * (csv-stringify's escape_formulas), so a spreadsheet shows it as text
 * instead of running it as a formula; numbers such as -1 are left alone.
 */
export function auditCsvStream(records: Iterable<CsvRecord>): Readable {
  const csv = stringify({
    header: true,
    columns: AUDIT_CSV_COLUMNS.map((c) => ({ key: c.key, header: c.header })),
    escape_formulas: true,
    record_delimiter: "windows",
  });
  return Readable.from(records).pipe(csv);
}

type Query = Record<string, string | string[] | undefined>;

/** Checks who asks, records the export, and returns the rows to stream. */
export function exportAuditHistory(db: Db, user: User | null, query: Query) {
  if (!user) throw unauthorized("Sign in as a lead or admin to export the audit history.");
  const actor = { type: "user" as const, user };
  requirePermission(actor, "audit:read");
  const resolved = resolveAuditQuery(db, query);
  if (!resolved.ok) {
    throw badRequest(
      "audit_filter",
      resolved.errors.map((e) => e.message).join("; "),
      resolved.errors,
    );
  }
  const at = new Date();
  const { params, filter } = resolved;
  const filters = Object.fromEntries(
    (["actor", "model", "action", "from", "to"] as const)
      .filter((k) => params[k])
      .map((k) => [k, params[k]]),
  );

  const recorded = writeTransaction(db, (tx) => {
    const count = countAuditEvents(tx, filter);
    const event = appendAuditEvent(
      tx,
      {
        ...actorAudit(actor),
        action: "audit.exported",
        subjectType: "audit",
        subjectId: null,
        modelId: filter.modelId ?? null,
        summary: `exported ${count} audit events as CSV`,
        details: { filters, events: count },
      },
      at,
    );
    return { count, belowId: event.id };
  });
  log.info({ user: user.id, events: recorded.count, filters }, "audit exported");

  // The export ends just before its own event: what existed when it was asked for.
  const models = new Map<number, string | null>();
  const modelName = (id: number | null) => {
    if (id === null) return null;
    if (!models.has(id)) models.set(id, getModelNamesByIds(db, [id]).get(id) ?? null);
    return models.get(id) ?? null;
  };
  function* records(): Generator<CsvRecord> {
    for (const e of iterateFilteredAuditEvents(db, filter, recorded.belowId)) {
      yield toCsvRecord(e, modelName(e.modelId));
    }
  }
  const stamp = at.toISOString().replace(/[-:]/g, "").slice(0, 15);
  return { filename: `audit-history-${stamp}Z.csv`, count: recorded.count, records: records() };
}
