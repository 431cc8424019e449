import { and, eq } from "drizzle-orm";
import type { DbOrTx } from "../client";
import { idempotencyKeys, type IdempotencyKey } from "../schema";

/** Status of a claimed key whose first call has not answered yet. */
export const IN_PROGRESS = 0;

export function getIdempotencyKey(
  db: DbOrTx,
  callerKey: string,
  key: string,
): IdempotencyKey | undefined {
  return db
    .select()
    .from(idempotencyKeys)
    .where(and(eq(idempotencyKeys.callerKey, callerKey), eq(idempotencyKeys.key, key)))
    .get();
}

/** Claims a key for a first call; false when someone holds it already. */
export function claimIdempotencyKey(
  db: DbOrTx,
  input: { callerKey: string; key: string; method: string; path: string; bodyHash: string },
  at: Date,
): boolean {
  const result = db
    .insert(idempotencyKeys)
    .values({ ...input, status: IN_PROGRESS, response: "", createdAt: at })
    .onConflictDoNothing()
    .run();
  return result.changes > 0;
}

export function completeIdempotencyKey(
  db: DbOrTx,
  id: { callerKey: string; key: string },
  answer: { status: number; response: string },
): void {
  db.update(idempotencyKeys)
    .set(answer)
    .where(and(eq(idempotencyKeys.callerKey, id.callerKey), eq(idempotencyKeys.key, id.key)))
    .run();
}

export function releaseIdempotencyKey(db: DbOrTx, id: { callerKey: string; key: string }): void {
  db.delete(idempotencyKeys)
    .where(and(eq(idempotencyKeys.callerKey, id.callerKey), eq(idempotencyKeys.key, id.key)))
    .run();
}
