// What the live updates read: whether another connection has written, which
// requests the audit history says changed since a point, and where each
// changed request is shown (its model and version).
import { and, eq, gt, inArray, sql } from "drizzle-orm";
import type { Db, DbOrTx } from "../client";
import { approvalRequests, auditEvents, modelVersions, registeredModels } from "../schema";

/**
 * SQLite's counter of commits made by other connections to this file: it
 * changes when another process writes, and costs no table read.
 */
export function readDataVersion(db: Db): number {
  return db.get<{ data_version: number }>(sql`PRAGMA data_version`).data_version;
}

export function latestAuditEventId(db: DbOrTx): number {
  return (
    db
      .select({ id: sql<number | null>`max(${auditEvents.id})` })
      .from(auditEvents)
      .get()?.id ?? 0
  );
}

/**
 * Audit events after `afterId`, oldest first: every state change of a request
 * is audited, so this is the change history other processes leave behind.
 */
export function listAuditedSubjectsAfter(
  db: DbOrTx,
  afterId: number,
  limit: number,
): { id: number; action: string; subjectType: string; subjectId: number | null }[] {
  return db
    .select({
      id: auditEvents.id,
      action: auditEvents.action,
      subjectType: auditEvents.subjectType,
      subjectId: auditEvents.subjectId,
    })
    .from(auditEvents)
    .where(gt(auditEvents.id, afterId))
    .orderBy(auditEvents.id)
    .limit(limit)
    .all();
}

/** The requests still open on these versions, whose evidence a metrics change moved. */
export function listOpenRequestIdsOfVersions(db: DbOrTx, versionIds: number[]): number[] {
  if (versionIds.length === 0) return [];
  return db
    .select({ id: approvalRequests.id })
    .from(approvalRequests)
    .where(
      and(
        inArray(approvalRequests.versionId, versionIds),
        inArray(approvalRequests.status, ["awaiting_metrics", "pending_review"]),
      ),
    )
    .all()
    .map((r) => r.id);
}

export type RequestPlace = { id: number; model: string; version: number };

export function listRequestPlaces(db: DbOrTx, ids: number[]): RequestPlace[] {
  if (ids.length === 0) return [];
  return db
    .select({
      id: approvalRequests.id,
      model: registeredModels.name,
      version: modelVersions.number,
    })
    .from(approvalRequests)
    .innerJoin(modelVersions, eq(modelVersions.id, approvalRequests.versionId))
    .innerJoin(registeredModels, eq(registeredModels.id, modelVersions.modelId))
    .where(inArray(approvalRequests.id, ids))
    .all();
}
