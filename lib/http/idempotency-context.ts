// Which Idempotency-Key the running call holds, so the call's own write
// transaction can record on the key's row that its change committed. The
// mark is written inside that transaction, so it is kept exactly when the
// change is: after a crash between the change and the stored answer, a retry
// still learns whether the change happened (lib/http/idempotency.ts).
import { AsyncLocalStorage } from "node:async_hooks";
import { randomUUID } from "node:crypto";
import type { DbOrTx } from "@/db/client";
import { markIdempotencyKeyCommitted } from "@/db/queries/idempotency";

type Claim = { rowId: number; open: boolean };

// On globalThis so that every copy of this module a bundler makes shares one
// context, one process id and one list of calls in flight.
const shared = globalThis as unknown as {
  __idempotency?: { storage: AsyncLocalStorage<Claim>; processId: string; inFlight: Set<number> };
};
const state = (shared.__idempotency ??= {
  storage: new AsyncLocalStorage<Claim>(),
  processId: randomUUID(),
  inFlight: new Set<number>(),
});

/** Random per process start: written on the keys this process claims. */
export const PROCESS_ID = state.processId;

/**
 * Runs a first call holding its claimed key. Work the call leaves running
 * after it answered (a webhook retry, say) no longer marks the key.
 */
export async function runHoldingKey<T>(rowId: number, run: () => Promise<T>): Promise<T> {
  const claim: Claim = { rowId, open: true };
  try {
    return await state.storage.run(claim, run);
  } finally {
    claim.open = false;
  }
}

/** This process claimed the key row and runs its first call now. */
export function keyCallStarted(rowId: number): void {
  state.inFlight.add(rowId);
}

/** The call of this key row has ended (its answer stored or not). */
export function keyCallEnded(rowId: number): void {
  state.inFlight.delete(rowId);
}

/** True while this process runs the first call of this key row. */
export function isKeyCallRunning(row: { id: number; claimedBy: string }): boolean {
  return row.claimedBy === PROCESS_ID && state.inFlight.has(row.id);
}

/**
 * Called inside every write transaction (lib/gate/transaction.ts), after the
 * change: when the transaction belongs to a call holding an Idempotency-Key,
 * marks the key's change committed (any write transaction of the call that
 * commits counts, even one that changed no row). Outside such a call it does
 * nothing.
 * Not remembered in memory: the UPDATE only changes a row not yet marked, and
 * a flag set here would be wrong if the COMMIT itself then failed.
 */
export function markIdempotentChange(tx: DbOrTx): void {
  const claim = state.storage.getStore();
  if (claim?.open) markIdempotencyKeyCommitted(tx, claim.rowId, new Date());
}
