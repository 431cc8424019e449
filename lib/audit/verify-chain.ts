// Checks the audit history's hash chain: every event must carry the hash of
// the one before it, and its own hash must match its fields. The first event
// that fails is named, so a changed or removed row can be found.
import { GENESIS_HASH, hashAuditEvent } from "@/db/queries/audit";
import type { AuditEvent } from "@/db/schema";

export type ChainState =
  | { ok: true; events: number; head: string }
  | { ok: false; events: number; brokenAt: number; why: string };

export function verifyChain(events: Iterable<AuditEvent>): ChainState {
  let prev = GENESIS_HASH;
  let count = 0;
  for (const e of events) {
    count += 1;
    if (e.prevHash !== prev) {
      return {
        ok: false,
        events: count,
        brokenAt: e.id,
        why: "does not follow the event before it",
      };
    }
    const expected = hashAuditEvent(prev, e, e.createdAt);
    if (expected !== e.hash) {
      return {
        ok: false,
        events: count,
        brokenAt: e.id,
        why: "its fields no longer match its hash",
      };
    }
    prev = e.hash;
  }
  return { ok: true, events: count, head: prev };
}
