import { and, eq, gte, inArray, isNull, lt } from "drizzle-orm";
import type { Db, DbOrTx } from "../client";
import { idempotencyKeys, type IdempotencyKey } from "../schema";

/** Status of a claimed key whose first call has not answered yet. */
export const IN_PROGRESS = 0;

/** A key is remembered this long: older ones are never replayed and get deleted. */
export const KEY_LIFETIME_MS = 24 * 60 * 60 * 1000;

// Expired rows deleted per claim: bounded so one claim never waits on a big
// delete, and enough to keep up, since each claim adds one row.
const PRUNE_PER_CLAIM = 20;

const expiredBefore = (at: Date) => new Date(at.getTime() - KEY_LIFETIME_MS);

/** The key's row, unless it expired. */
export function getIdempotencyKey(
  db: DbOrTx,
  callerKey: string,
  key: string,
  at: Date,
): IdempotencyKey | undefined {
  return db
    .select()
    .from(idempotencyKeys)
    .where(
      and(
        eq(idempotencyKeys.callerKey, callerKey),
        eq(idempotencyKeys.key, key),
        gte(idempotencyKeys.createdAt, expiredBefore(at)),
      ),
    )
    .get();
}

/**
 * Claims a key for a first call and returns its row id; null when someone
 * holds it already. In the same transaction it deletes this key's expired row
 * (so the key can be used again) and a few other expired rows.
 */
export function claimIdempotencyKey(
  db: Db,
  input: {
    callerKey: string;
    key: string;
    method: string;
    path: string;
    bodyHash: string;
    claimedBy: string;
  },
  at: Date,
): number | null {
  const cutoff = expiredBefore(at);
  return db.transaction(
    (tx) => {
      tx.delete(idempotencyKeys)
        .where(
          and(
            eq(idempotencyKeys.callerKey, input.callerKey),
            eq(idempotencyKeys.key, input.key),
            lt(idempotencyKeys.createdAt, cutoff),
          ),
        )
        .run();
      const oldest = tx
        .select({ id: idempotencyKeys.id })
        .from(idempotencyKeys)
        .where(lt(idempotencyKeys.createdAt, cutoff))
        .orderBy(idempotencyKeys.createdAt)
        .limit(PRUNE_PER_CLAIM);
      tx.delete(idempotencyKeys).where(inArray(idempotencyKeys.id, oldest)).run();
      const row = tx
        .insert(idempotencyKeys)
        .values({ ...input, status: IN_PROGRESS, response: "", createdAt: at })
        .onConflictDoNothing()
        .returning({ id: idempotencyKeys.id })
        .get();
      return row?.id ?? null;
    },
    { behavior: "immediate" },
  );
}

/**
 * Marks, inside the transaction of the call's own change, that the change
 * committed: the mark and the change are kept or rolled back together.
 */
export function markIdempotencyKeyCommitted(tx: DbOrTx, rowId: number, at: Date): void {
  tx.update(idempotencyKeys)
    .set({ committedAt: at })
    .where(
      and(
        eq(idempotencyKeys.id, rowId),
        eq(idempotencyKeys.status, IN_PROGRESS),
        isNull(idempotencyKeys.committedAt),
      ),
    )
    .run();
}

export function completeIdempotencyKey(
  db: DbOrTx,
  rowId: number,
  answer: { status: number; response: string },
): void {
  db.update(idempotencyKeys).set(answer).where(eq(idempotencyKeys.id, rowId)).run();
}

/**
 * Frees a claimed key whose call changed nothing, so a retry runs again.
 * False when the call's change committed: such a key is never freed.
 */
export function releaseIdempotencyKey(db: DbOrTx, rowId: number): boolean {
  const result = db
    .delete(idempotencyKeys)
    .where(
      and(
        eq(idempotencyKeys.id, rowId),
        eq(idempotencyKeys.status, IN_PROGRESS),
        isNull(idempotencyKeys.committedAt),
      ),
    )
    .run();
  return result.changes > 0;
}
