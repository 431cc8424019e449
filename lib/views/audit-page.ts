// The audit history for leads and admins, newest first, a page at a time,
// narrowed by actor, model, action and time, each event linked to its subject.
import type { Db, DbOrTx } from "@/db/client";
import {
  getAuditSubjectDetails,
  getModelNamesByIds,
  listAuditEvents,
  listAuditFilterChoices,
  type AuditFilter,
} from "@/db/queries/audit";
import { getModelByName } from "@/db/queries/models";
import { listUsers } from "@/db/queries/users";
import type { AuditEvent, User } from "@/db/schema";
import { parseAuditQuery, type AuditFilterParams } from "@/lib/audit/filters";
import { subjectLink, type SubjectContext, type SubjectLink } from "@/lib/audit/subject-link";
import { checkChainForPage } from "@/lib/audit/chain-check";
import type { FieldError } from "@/lib/errors";
import { requirePermission } from "@/lib/gate/actor";

export const AUDIT_PAGE_SIZE = 50;

type Query = Record<string, string | string[] | undefined>;

/**
 * The filter a query asks for, with the model's name turned into its id.
 * Errors name the field, for the form to show beside it.
 */
export function resolveAuditQuery(
  db: DbOrTx,
  query: Query,
):
  | { ok: true; params: AuditFilterParams; filter: AuditFilter; beforeId: number | null }
  | { ok: false; errors: FieldError[] } {
  const parsed = parseAuditQuery(query);
  if (!parsed.ok) return parsed;
  const { model, ...rest } = parsed.filter;
  const filter: AuditFilter = { ...rest };
  if (model !== undefined) {
    const row = getModelByName(db, model);
    if (!row) {
      const message = `model: no model is named "${model}"`;
      return { ok: false, errors: [{ field: "model", rule: "exists", message }] };
    }
    filter.modelId = row.id;
  }
  return { ok: true, params: parsed.params, filter, beforeId: parsed.beforeId };
}

export function getAuditPage(db: Db, user: User, query: Query) {
  requirePermission({ type: "user", user }, "audit:read");
  const choices = listAuditFilterChoices(db);
  const chain = checkChainForPage(db);
  const resolved = resolveAuditQuery(db, query);
  if (!resolved.ok) {
    return { ...resolved, choices, chain, events: [], nextBeforeId: null, params: null };
  }
  const rows = listAuditEvents(db, {
    beforeId: resolved.beforeId,
    limit: AUDIT_PAGE_SIZE + 1,
    filter: resolved.filter,
  });
  const events = rows.slice(0, AUDIT_PAGE_SIZE);
  const last = events.at(-1);
  return {
    ok: true as const,
    errors: [] as FieldError[],
    choices,
    chain,
    params: resolved.params,
    filtered: Object.keys(resolved.filter).length > 0,
    events: withSubjectLinks(db, events),
    nextBeforeId: rows.length > AUDIT_PAGE_SIZE && last ? last.id : null,
  };
}

/** Looks up what the links need (model names, version numbers, environments) in a few queries. */
export function withSubjectLinks(
  db: DbOrTx,
  events: AuditEvent[],
): Array<AuditEvent & { model: string | null; link: SubjectLink | null }> {
  const idsOf = (type: string) =>
    [...new Set(events.filter((e) => e.subjectType === type).map((e) => e.subjectId))].filter(
      (id): id is number => id !== null,
    );
  const models = getModelNamesByIds(db, [
    ...new Set(events.map((e) => e.modelId).filter((id): id is number => id !== null)),
  ]);
  const found = getAuditSubjectDetails(db, {
    versions: idsOf("version"),
    requests: idsOf("request"),
    deployments: idsOf("deployment"),
    policies: idsOf("policy"),
  });
  // People are few; read only when the page shows an event about one.
  const userNames = new Map(
    idsOf("user").length > 0 ? listUsers(db).map((u) => [u.id, u.name] as const) : [],
  );
  return events.map((e) => {
    const model = e.modelId === null ? null : (models.get(e.modelId) ?? null);
    const id = e.subjectId ?? -1;
    const ctx: SubjectContext = { model, actor: e.actorName };
    if (e.subjectType === "user") ctx.userName = userNames.get(id) ?? null;
    if (e.subjectType === "access") ctx.attempt = attemptOf(e.details);
    if (e.subjectType === "version") ctx.version = found.versions.get(id)?.number;
    if (e.subjectType === "policy") ctx.environment = found.policies.get(id)?.environment;
    const placed =
      e.subjectType === "request"
        ? found.requests.get(id)
        : e.subjectType === "deployment"
          ? found.deployments.get(id)
          : undefined;
    if (placed) Object.assign(ctx, { version: placed.number, environment: placed.environment });
    return { ...e, model, link: subjectLink(e.subjectType, e.subjectId, ctx) };
  });
}

/** What a refusal's details say was attempted (lib/http/refusals.ts writes it). */
function attemptOf(details: unknown): string | null {
  if (typeof details !== "object" || details === null || !("attempt" in details)) return null;
  return typeof details.attempt === "string" ? details.attempt : null;
}
