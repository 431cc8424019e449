// The review queue's reads: one page of requests under filters, keyset-paged
// over (created_at, id), and the counts the navigation shows. Each page
// costs a bounded number of index probes, never a pass over the history.
import {
  and,
  asc,
  desc,
  eq,
  inArray,
  isNull,
  ne,
  or,
  sql,
  type Column,
  type SQL,
} from "drizzle-orm";
import { alias } from "drizzle-orm/sqlite-core";
import type { DbOrTx } from "../client";
import {
  apiTokens,
  approvalRequests,
  decisions,
  environments,
  modelVersions,
  registeredModels,
  users,
  type ApprovalRequest,
  type RequestStatus,
} from "../schema";

export const OPEN_STATUSES: readonly RequestStatus[] = ["awaiting_metrics", "pending_review"];

/**
 * The requests one person may decide now, as SQL can test it: eligibility
 * depends only on the policy revision and on whether the person submitted
 * the version or asked for the request, so it is given per policy id
 * (null: the built-in default policy).
 */
export type WaitingForFilter = {
  userId: number;
  /** Policies under which the person may decide any request, their own included. */
  anyRequest: (number | null)[];
  /** Policies under which the person may decide only what others submitted. */
  othersOnly: (number | null)[];
};

export type QueueKey = { createdAt: number; id: number };

export type QueueQuery = {
  /** Empty: every status. */
  statuses: readonly RequestStatus[];
  environment: string | null;
  /** Part of the model name, matched literally. */
  modelContains: string | null;
  /** Part of the submitter's name, email or token name, matched literally. */
  submitterContains: string | null;
  waitingFor: WaitingForFilter | null;
  sort: "oldest" | "newest";
  cursor: (QueueKey & { direction: "after" | "before" }) | null;
  limit: number;
};

export type QueueRow = {
  request: ApprovalRequest;
  modelId: number;
  modelName: string;
  versionNumber: number;
  environment: string;
  submittedByUserId: number | null;
  submitterName: string | null;
  submitterTokenName: string | null;
};

/**
 * A LIKE pattern that finds `text` anywhere, with `\`, `%` and `_` escaped so
 * they match themselves; quotes need nothing, since the pattern is a bound
 * parameter.
 */
export function containsPattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

function likeContains(column: Column, text: string): SQL {
  return sql`${column} LIKE ${containsPattern(text)} ESCAPE '\\'`;
}

/** `policy_id` in a list that may hold null (the default policy). */
function policyIn(ids: (number | null)[]): SQL {
  const real = ids.filter((id): id is number => id !== null);
  const parts: SQL[] = [];
  // One JSON parameter instead of one parameter per id: thousands of
  // policies stay under SQLite's variable limit.
  if (real.length > 0) {
    parts.push(
      sql`${approvalRequests.policyId} IN (SELECT value FROM json_each(${JSON.stringify(real)}))`,
    );
  }
  if (ids.includes(null)) parts.push(isNull(approvalRequests.policyId));
  return parts.length === 0 ? sql`0` : (or(...parts) as SQL);
}

function notBy(column: Column, userId: number): SQL {
  return or(isNull(column), ne(column, userId)) as SQL;
}

function waitingForCondition(w: WaitingForFilter): SQL {
  const own = and(
    notBy(modelVersions.submittedByUserId, w.userId),
    notBy(approvalRequests.requestedByUserId, w.userId),
  );
  return and(
    eq(approvalRequests.status, "pending_review"),
    or(policyIn(w.anyRequest), and(policyIn(w.othersOnly), own)),
    sql`NOT EXISTS (SELECT 1 FROM ${decisions} WHERE ${decisions.requestId} = ${approvalRequests.id}
      AND ${decisions.userId} = ${w.userId} AND ${decisions.dismissedAt} IS NULL)`,
  ) as SQL;
}

const submitterUser = alias(users, "submitter_user");
const submitterToken = alias(apiTokens, "submitter_token");

// TODO: the contains searches cannot use an index: a model search reads every
// model name, a submitter search every request of the chosen statuses (14 ms
// over 10,000 open requests, scripts/bench/queue-filters.ts). Full-text
// search would be the next step for far larger installations.
function filterConditions(q: Omit<QueueQuery, "sort" | "cursor" | "limit">): SQL[] {
  const where: SQL[] = [];
  if (q.statuses.length === 1) where.push(eq(approvalRequests.status, q.statuses[0]!));
  else if (q.statuses.length > 1) where.push(inArray(approvalRequests.status, [...q.statuses]));
  if (q.environment !== null) {
    where.push(
      sql`${approvalRequests.environmentId} =
        (SELECT ${environments.id} FROM ${environments} WHERE ${environments.name} = ${q.environment})`,
    );
  }
  if (q.modelContains) {
    // Models first: a name search reads the models once, then only their requests.
    where.push(
      sql`${approvalRequests.versionId} IN (SELECT ${modelVersions.id} FROM ${modelVersions}
        WHERE ${modelVersions.modelId} IN (SELECT ${registeredModels.id} FROM ${registeredModels}
          WHERE ${likeContains(registeredModels.name, q.modelContains)}))`,
    );
  }
  if (q.submitterContains) {
    where.push(
      or(
        likeContains(submitterUser.name, q.submitterContains),
        likeContains(submitterUser.email, q.submitterContains),
        likeContains(submitterToken.name, q.submitterContains),
      ) as SQL,
    );
  }
  if (q.waitingFor) where.push(waitingForCondition(q.waitingFor));
  return where;
}

/** Rows strictly beyond `key` when walking in the given direction. */
function beyond(key: QueueKey, ascending: boolean): SQL {
  return ascending
    ? sql`(${approvalRequests.createdAt}, ${approvalRequests.id}) > (${key.createdAt}, ${key.id})`
    : sql`(${approvalRequests.createdAt}, ${approvalRequests.id}) < (${key.createdAt}, ${key.id})`;
}

/**
 * The keys of the next `n` rows from `from`, joining only the tables the
 * filters need: sorting bare keys from an index is cheap, joining every
 * candidate row before the sort is not.
 */
function walk(
  db: DbOrTx,
  q: QueueQuery,
  from: QueueKey | null,
  ascending: boolean,
  n: number,
): QueueKey[] {
  const where = filterConditions(q);
  if (from) where.push(beyond(from, ascending));
  const order = ascending
    ? [asc(approvalRequests.createdAt), asc(approvalRequests.id)]
    : [desc(approvalRequests.createdAt), desc(approvalRequests.id)];
  let keys = db
    .select({ createdAt: approvalRequests.createdAt, id: approvalRequests.id })
    .from(approvalRequests)
    .$dynamic();
  if (q.waitingFor || q.submitterContains)
    keys = keys.innerJoin(modelVersions, eq(modelVersions.id, approvalRequests.versionId));
  if (q.submitterContains) {
    keys = keys
      .leftJoin(submitterUser, eq(submitterUser.id, modelVersions.submittedByUserId))
      .leftJoin(submitterToken, eq(submitterToken.id, modelVersions.submittedByTokenId));
  }
  return keys
    .where(and(...where))
    .orderBy(...order)
    .limit(n)
    .all()
    .map((k) => ({ createdAt: k.createdAt.getTime(), id: k.id }));
}

/** The rows for a page's keys, in the keys' order. */
function rowsOf(db: DbOrTx, keys: QueueKey[]): QueueRow[] {
  if (keys.length === 0) return [];
  const rows = db
    .select({
      request: approvalRequests,
      modelId: registeredModels.id,
      modelName: registeredModels.name,
      versionNumber: modelVersions.number,
      environment: environments.name,
      submittedByUserId: modelVersions.submittedByUserId,
      submitterName: submitterUser.name,
      submitterTokenName: submitterToken.name,
    })
    .from(approvalRequests)
    .innerJoin(modelVersions, eq(modelVersions.id, approvalRequests.versionId))
    .innerJoin(registeredModels, eq(registeredModels.id, modelVersions.modelId))
    .innerJoin(environments, eq(environments.id, approvalRequests.environmentId))
    .leftJoin(submitterUser, eq(submitterUser.id, modelVersions.submittedByUserId))
    .leftJoin(submitterToken, eq(submitterToken.id, modelVersions.submittedByTokenId))
    .where(
      inArray(
        approvalRequests.id,
        keys.map((k) => k.id),
      ),
    )
    .all();
  const byId = new Map(rows.map((r) => [r.request.id, r]));
  return keys.flatMap((k) => byId.get(k.id) ?? []);
}

/**
 * One page in the sort order, plus the keys to continue from in each
 * direction (null where nothing lies beyond). Rows added or changed between
 * two page loads never make a row repeat or vanish from a walk: each page
 * starts strictly after the last key the previous page showed.
 */
export function listQueuePage(
  db: DbOrTx,
  q: QueueQuery,
): { rows: QueueRow[]; next: QueueKey | null; previous: QueueKey | null } {
  const forward = q.cursor?.direction !== "before";
  const sortAscending = q.sort === "oldest";
  const found = walk(db, q, q.cursor, sortAscending === forward, q.limit + 1);
  const more = found.length > q.limit;
  const page = found.slice(0, q.limit);
  const keys = forward ? page : page.reverse();
  // Whether anything lies on the far side of a key is one more probe of one row.
  const after = (key: QueueKey) => (walk(db, q, key, sortAscending, 1).length > 0 ? key : null);
  const before = (key: QueueKey) => (walk(db, q, key, !sortAscending, 1).length > 0 ? key : null);
  const rows = rowsOf(db, keys);
  const first = keys[0];
  const last = keys[keys.length - 1];
  if (!first || !last) {
    // The rows beyond the cursor have gone: offer the way back, if any.
    if (!q.cursor) return { rows, next: null, previous: null };
    return forward
      ? { rows, next: null, previous: before(q.cursor) }
      : { rows, next: after(q.cursor), previous: null };
  }
  return forward
    ? { rows, next: more ? last : null, previous: q.cursor ? before(first) : null }
    : { rows, next: after(last), previous: more ? first : null };
}

/** Open requests, not counting those past their deadline that no one has expired yet. */
function stillOpen(now: Date): SQL {
  return and(
    inArray(approvalRequests.status, [...OPEN_STATUSES]),
    or(isNull(approvalRequests.expiresAt), sql`${approvalRequests.expiresAt} > ${now.getTime()}`),
  ) as SQL;
}

export function countOpenRequests(db: DbOrTx, now: Date): number {
  return (
    db
      .select({ n: sql<number>`count(*)` })
      .from(approvalRequests)
      .where(stillOpen(now))
      .get()?.n ?? 0
  );
}

export function countRequestsWaitingFor(db: DbOrTx, w: WaitingForFilter, now: Date): number {
  return (
    db
      .select({ n: sql<number>`count(*)` })
      .from(approvalRequests)
      .innerJoin(modelVersions, eq(modelVersions.id, approvalRequests.versionId))
      .where(and(stillOpen(now), waitingForCondition(w)))
      .get()?.n ?? 0
  );
}

/**
 * The policy revisions that judge requests now pending review. Bounded by
 * the open requests, which superseding keeps to one per model and
 * environment.
 */
export function listPolicyIdsOfPendingRequests(db: DbOrTx): (number | null)[] {
  return db
    .selectDistinct({ policyId: approvalRequests.policyId })
    .from(approvalRequests)
    .where(eq(approvalRequests.status, "pending_review"))
    .all()
    .map((r) => r.policyId);
}
