// Every change runs in one immediate transaction: the write lock is taken at
// BEGIN, so two writers queue on the busy timeout instead of failing halfway.
// Work that must only happen once the change is committed (waking waiters,
// logging) is queued with `afterCommit`.
import type { Db, Tx } from "@/db/client";
import { markIdempotentChange } from "@/lib/http/idempotency-context";

// TODO: each write ends in its own fsync (synchronous=FULL) that blocks the
// event loop; registration reaches 0.38x the framework's ceiling (see
// docs/benchmarks.md). Group commit (one transaction and fsync for the writes
// arriving within a few ms, each caller answered after it) would lift it.
export function writeTransaction<T>(
  db: Db,
  fn: (tx: Tx, afterCommit: (effect: () => void) => void) => T,
): T {
  const effects: Array<() => void> = [];
  const result = db.transaction(
    (tx) => {
      const value = fn(tx, (effect) => effects.push(effect));
      // Idempotency-Key: records on the key's row, in this same transaction,
      // that the call's change committed (lib/http/idempotency-context.ts).
      markIdempotentChange(tx);
      return value;
    },
    { behavior: "immediate" },
  );
  for (const effect of effects) effect();
  return result;
}
