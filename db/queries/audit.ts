import { createHash } from "node:crypto";
import { and, asc, desc, eq, gt, gte, inArray, lt, or, sql, type SQL } from "drizzle-orm";
import type { DbOrTx } from "../client";
import { preparedOnce } from "./prepared";
import {
  approvalRequests,
  auditEvents,
  deployments,
  environments,
  modelVersions,
  policies,
  registeredModels,
  type ActorType,
  type AuditEvent,
} from "../schema";

export type NewAuditEvent = {
  actorType: ActorType;
  actorId: number | null;
  actorName: string;
  action: string;
  subjectType: string;
  subjectId: number | null;
  modelId: number | null;
  summary: string;
  details: Record<string, unknown> | null;
};

export const GENESIS_HASH = "0".repeat(64);

/** The chained hash of one event: any change to a field or the order breaks it. */
export function hashAuditEvent(prevHash: string, e: NewAuditEvent, createdAt: Date): string {
  const body = JSON.stringify([
    e.actorType,
    e.actorId,
    e.actorName,
    e.action,
    e.subjectType,
    e.subjectId,
    e.modelId,
    e.summary,
    e.details,
    createdAt.getTime(),
  ]);
  return createHash("sha256").update(prevHash).update(body).digest("hex");
}

/** Appends one event; call inside the transaction that made the change. */
export function appendAuditEvent(db: DbOrTx, event: NewAuditEvent, at: Date): AuditEvent {
  const last = preparedOnce(db, "audit.lastHash", (d) =>
    d
      .select({ hash: auditEvents.hash })
      .from(auditEvents)
      .orderBy(desc(auditEvents.id))
      .limit(1)
      .prepare(),
  );
  const insert = preparedOnce(db, "audit.insert", (d) =>
    d
      .insert(auditEvents)
      .values({
        actorType: sql.placeholder("actorType"),
        actorId: sql.placeholder("actorId"),
        actorName: sql.placeholder("actorName"),
        action: sql.placeholder("action"),
        subjectType: sql.placeholder("subjectType"),
        subjectId: sql.placeholder("subjectId"),
        modelId: sql.placeholder("modelId"),
        summary: sql.placeholder("summary"),
        // Bound as is, not through the column's JSON encoder: the encoder
        // would store a missing value as the JSON text 'null', not as NULL.
        details: sql`${sql.placeholder("details")}`,
        prevHash: sql.placeholder("prevHash"),
        hash: sql.placeholder("hash"),
        createdAt: sql.placeholder("createdAt"),
      })
      .returning()
      .prepare(),
  );
  const prevHash = last.get()?.hash ?? GENESIS_HASH;
  const hash = hashAuditEvent(prevHash, event, at);
  const details = event.details === null ? null : JSON.stringify(event.details);
  return insert.get({ ...event, details, prevHash, hash, createdAt: at })!;
}

/** What the history can be narrowed to; every field is optional. */
export type AuditFilter = {
  actorName?: string;
  modelId?: number;
  action?: string;
  /** Inclusive. */
  from?: Date;
  /** Exclusive. */
  to?: Date;
};

function filterConditions(filter: AuditFilter): SQL[] {
  const where: SQL[] = [];
  if (filter.actorName !== undefined) where.push(eq(auditEvents.actorName, filter.actorName));
  if (filter.modelId !== undefined) where.push(eq(auditEvents.modelId, filter.modelId));
  if (filter.action !== undefined) where.push(eq(auditEvents.action, filter.action));
  if (filter.from !== undefined) where.push(gte(auditEvents.createdAt, filter.from));
  if (filter.to !== undefined) where.push(lt(auditEvents.createdAt, filter.to));
  return where;
}

/**
 * Newest first, keyset-paginated on id so a page never repeats or skips a
 * row, with or without filters (they only narrow which ids qualify).
 */
export function listAuditEvents(
  db: DbOrTx,
  {
    beforeId,
    limit,
    filter = {},
  }: { beforeId: number | null; limit: number; filter?: AuditFilter },
): AuditEvent[] {
  const where = filterConditions(filter);
  if (beforeId !== null) where.push(lt(auditEvents.id, beforeId));
  return db
    .select()
    .from(auditEvents)
    .where(and(...where))
    .orderBy(desc(auditEvents.id))
    .limit(limit)
    .all();
}

/**
 * Filtered events oldest first, below `belowId`, a page at a time: an export
 * streams through a long history without holding it.
 */
export function* iterateFilteredAuditEvents(
  db: DbOrTx,
  filter: AuditFilter,
  belowId: number,
  pageSize = 500,
): Generator<AuditEvent> {
  let afterId = 0;
  for (;;) {
    const page = db
      .select()
      .from(auditEvents)
      .where(
        and(...filterConditions(filter), gt(auditEvents.id, afterId), lt(auditEvents.id, belowId)),
      )
      .orderBy(asc(auditEvents.id))
      .limit(pageSize)
      .all();
    yield* page;
    const last = page.at(-1);
    if (!last || page.length < pageSize) return;
    afterId = last.id;
  }
}

/**
 * The names, actions and models the history's filters can offer. The
 * distinct values are found by jumping through the (actor_name, id) and
 * (action, id) indexes one value at a time (a recursive CTE that works in
 * PostgreSQL too): a handful of lookups instead of reading every event.
 */
export function listAuditFilterChoices(db: DbOrTx) {
  const actors = db
    .all<{ v: string }>(
      sql`WITH RECURSIVE d(v) AS (
        SELECT min(actor_name) FROM audit_events
        UNION ALL
        SELECT (SELECT min(actor_name) FROM audit_events WHERE actor_name > d.v)
        FROM d WHERE d.v IS NOT NULL
      ) SELECT v FROM d WHERE v IS NOT NULL`,
    )
    .map((r) => r.v);
  const actions = db
    .all<{ v: string }>(
      sql`WITH RECURSIVE d(v) AS (
        SELECT min(action) FROM audit_events
        UNION ALL
        SELECT (SELECT min(action) FROM audit_events WHERE action > d.v)
        FROM d WHERE d.v IS NOT NULL
      ) SELECT v FROM d WHERE v IS NOT NULL`,
    )
    .map((r) => r.v);
  const models = db
    .select({ id: registeredModels.id, name: registeredModels.name })
    .from(registeredModels)
    .orderBy(asc(registeredModels.name))
    .all();
  return { actors, actions, models };
}

/** Names of the models a page of events mentions, by id. */
export function getModelNamesByIds(db: DbOrTx, ids: number[]): Map<number, string> {
  if (ids.length === 0) return new Map();
  const rows = db
    .select({ id: registeredModels.id, name: registeredModels.name })
    .from(registeredModels)
    .where(inArray(registeredModels.id, ids))
    .all();
  return new Map(rows.map((r) => [r.id, r.name]));
}

/** Version numbers and environments behind version, request and deployment subjects. */
export function getAuditSubjectDetails(
  db: DbOrTx,
  ids: { versions: number[]; requests: number[]; deployments: number[]; policies: number[] },
) {
  const versions = ids.versions.length
    ? db
        .select({ id: modelVersions.id, number: modelVersions.number })
        .from(modelVersions)
        .where(inArray(modelVersions.id, ids.versions))
        .all()
    : [];
  const requests = ids.requests.length
    ? db
        .select({
          id: approvalRequests.id,
          number: modelVersions.number,
          environment: environments.name,
        })
        .from(approvalRequests)
        .innerJoin(modelVersions, eq(modelVersions.id, approvalRequests.versionId))
        .innerJoin(environments, eq(environments.id, approvalRequests.environmentId))
        .where(inArray(approvalRequests.id, ids.requests))
        .all()
    : [];
  const deployed = ids.deployments.length
    ? db
        .select({
          id: deployments.id,
          number: modelVersions.number,
          environment: environments.name,
        })
        .from(deployments)
        .innerJoin(modelVersions, eq(modelVersions.id, deployments.versionId))
        .innerJoin(environments, eq(environments.id, deployments.environmentId))
        .where(inArray(deployments.id, ids.deployments))
        .all()
    : [];
  const policyRows = ids.policies.length
    ? db
        .select({ id: policies.id, environment: environments.name })
        .from(policies)
        .leftJoin(environments, eq(environments.id, policies.environmentId))
        .where(inArray(policies.id, ids.policies))
        .all()
    : [];
  return {
    versions: new Map(versions.map((v) => [v.id, { number: v.number }])),
    requests: new Map(requests.map((r) => [r.id, r])),
    deployments: new Map(deployed.map((d) => [d.id, d])),
    policies: new Map(policyRows.map((p) => [p.id, { environment: p.environment }])),
  };
}

/**
 * What happened to one version, oldest first: its registration and metrics,
 * its requests (policy outcomes, decisions, dismissals, expiry) and its
 * deployments. Read through audit_events_model_id (model_id, id), already
 * in id order. TODO: this still walks all of the model's events; a model
 * with a very long history would want an index on (subject_type, subject_id).
 */
export function listAuditEventsOfVersion(
  db: DbOrTx,
  subject: { modelId: number; versionId: number; requestIds: number[]; deploymentIds: number[] },
): AuditEvent[] {
  const of = (type: string, ids: number[]) =>
    and(eq(auditEvents.subjectType, type), inArray(auditEvents.subjectId, ids));
  return db
    .select()
    .from(auditEvents)
    .where(
      and(
        eq(auditEvents.modelId, subject.modelId),
        or(
          of("version", [subject.versionId]),
          subject.requestIds.length > 0 ? of("request", subject.requestIds) : undefined,
          subject.deploymentIds.length > 0 ? of("deployment", subject.deploymentIds) : undefined,
        ),
      ),
    )
    .orderBy(asc(auditEvents.id))
    .all();
}

export function countAuditEvents(db: DbOrTx, filter: AuditFilter = {}): number {
  return (
    db
      .select({ n: sql<number>`count(*)` })
      .from(auditEvents)
      .where(and(...filterConditions(filter)))
      .get()?.n ?? 0
  );
}

/** Every event, oldest first, a page at a time so a long history fits in memory. */
export function* iterateAuditEvents(
  db: DbOrTx,
  pageSize = 1000,
  fromAfterId = 0,
): Generator<AuditEvent> {
  let afterId = fromAfterId;
  for (;;) {
    const page = db
      .select()
      .from(auditEvents)
      .where(gt(auditEvents.id, afterId))
      .orderBy(asc(auditEvents.id))
      .limit(pageSize)
      .all();
    yield* page;
    const last = page.at(-1);
    if (!last || page.length < pageSize) return;
    afterId = last.id;
  }
}
