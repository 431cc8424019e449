import { and, desc, eq, gt, inArray, lt, lte } from "drizzle-orm";
import type { DbOrTx } from "../client";
import {
  approvalRequests,
  modelVersions,
  type ApprovalRequest,
  type RequestStatus,
} from "../schema";

export function insertRequest(
  db: DbOrTx,
  input: Omit<typeof approvalRequests.$inferInsert, "id" | "createdAt" | "updatedAt">,
  at: Date,
): ApprovalRequest {
  return db
    .insert(approvalRequests)
    .values({ ...input, createdAt: at, updatedAt: at })
    .returning()
    .get();
}

export function getRequestById(db: DbOrTx, id: number): ApprovalRequest | undefined {
  return db.select().from(approvalRequests).where(eq(approvalRequests.id, id)).get();
}

/** The newest request for a version in an environment: what the gate answers. */
export function getLatestRequest(
  db: DbOrTx,
  versionId: number,
  environmentId: number,
): ApprovalRequest | undefined {
  return db
    .select()
    .from(approvalRequests)
    .where(
      and(
        eq(approvalRequests.versionId, versionId),
        eq(approvalRequests.environmentId, environmentId),
      ),
    )
    .orderBy(desc(approvalRequests.id))
    .limit(1)
    .get();
}

export function listRequestsOfVersion(db: DbOrTx, versionId: number): ApprovalRequest[] {
  return db
    .select()
    .from(approvalRequests)
    .where(eq(approvalRequests.versionId, versionId))
    .orderBy(desc(approvalRequests.id))
    .all();
}

/** The requests of many versions at once, newest first: one read for a whole model page. */
export function listRequestsOfVersions(db: DbOrTx, versionIds: number[]): ApprovalRequest[] {
  if (versionIds.length === 0) return [];
  return db
    .select()
    .from(approvalRequests)
    .where(inArray(approvalRequests.versionId, versionIds))
    .orderBy(desc(approvalRequests.id))
    .all();
}

export function listOpenRequestsOfVersion(db: DbOrTx, versionId: number): ApprovalRequest[] {
  return db
    .select()
    .from(approvalRequests)
    .where(
      and(
        eq(approvalRequests.versionId, versionId),
        inArray(approvalRequests.status, ["awaiting_metrics", "pending_review"]),
      ),
    )
    .all();
}

export function updateRequestStatus(
  db: DbOrTx,
  id: number,
  change: { status: RequestStatus; reason: string; finalizedAt: Date | null },
  at: Date,
): ApprovalRequest {
  const row = db
    .update(approvalRequests)
    .set({ ...change, updatedAt: at })
    .where(eq(approvalRequests.id, id))
    .returning()
    .get();
  if (!row) throw new Error(`approval request ${id} vanished during an update`);
  return row;
}

/** Open requests whose deadline has passed. */
export function listOverdueRequests(db: DbOrTx, at: Date): ApprovalRequest[] {
  return db
    .select()
    .from(approvalRequests)
    .where(
      and(
        inArray(approvalRequests.status, ["awaiting_metrics", "pending_review"]),
        lte(approvalRequests.expiresAt, at),
      ),
    )
    .all();
}

/** Open requests of a model's older (or newer) versions in one environment. */
export function listOpenRequestsOfOtherVersions(
  db: DbOrTx,
  input: { modelId: number; environmentId: number; number: number; side: "older" | "newer" },
): (ApprovalRequest & { versionNumber: number })[] {
  const side =
    input.side === "older"
      ? lt(modelVersions.number, input.number)
      : gt(modelVersions.number, input.number);
  return db
    .select({ request: approvalRequests, versionNumber: modelVersions.number })
    .from(approvalRequests)
    .innerJoin(modelVersions, eq(modelVersions.id, approvalRequests.versionId))
    .where(
      and(
        eq(modelVersions.modelId, input.modelId),
        eq(approvalRequests.environmentId, input.environmentId),
        side,
        inArray(approvalRequests.status, ["awaiting_metrics", "pending_review"]),
      ),
    )
    .all()
    .map((r) => ({ ...r.request, versionNumber: r.versionNumber }));
}

/** When each request last changed: what the shared watcher compares. */
export function listRequestStamps(
  db: DbOrTx,
  ids: number[],
): { id: number; updatedAt: Date; expiresAt: Date | null; status: RequestStatus }[] {
  if (ids.length === 0) return [];
  return db
    .select({
      id: approvalRequests.id,
      updatedAt: approvalRequests.updatedAt,
      expiresAt: approvalRequests.expiresAt,
      status: approvalRequests.status,
    })
    .from(approvalRequests)
    .where(inArray(approvalRequests.id, ids))
    .all();
}
