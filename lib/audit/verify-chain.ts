// Checks the audit history's hash chain: every event must carry the hash of
// the one before it, and its own hash must match its fields. The first event
// that fails is named, so a changed or removed row can be found.
//
// The chain alone cannot show that events were removed from its end: what is
// left is still a valid chain. An anchor (an event id and the hash it had,
// written down earlier, e.g. the head `npm run audit:verify` prints) closes
// that gap up to the anchor: the event must still be there with that hash,
// and since each hash covers the one before, everything up to it is as it was.
// TODO: events recorded after the newest anchor can still be cut unnoticed,
// and anchors are only kept if a person writes them down; nothing publishes
// the head outside the host by itself (a webhook event or a periodic log line
// would).
import { GENESIS_HASH, hashAuditEvent } from "@/db/queries/audit";
import type { AuditEvent } from "@/db/schema";

/** An event recorded earlier: its id and the hash it had then. */
export type Anchor = { id: number; hash: string };

export type ChainState =
  | { ok: true; events: number; headId: number | null; head: string }
  | {
      ok: false;
      events: number;
      brokenAt: number;
      why: string;
      /** True when the chain itself holds but an anchor does not. */
      anchor: boolean;
    };

const ANCHOR = /^([1-9][0-9]{0,15}):([0-9a-f]{64})$/;

/** "<id>:<hash>" as `--anchor` takes it; null when it is not that shape. */
export function parseAnchor(text: string): Anchor | null {
  const match = ANCHOR.exec(text.trim().toLowerCase());
  return match ? { id: Number(match[1]), hash: match[2]! } : null;
}

/** Where a check starts: the genesis, or the end of an earlier intact check. */
export type ChainStart = { events: number; headId: number | null; head: string };

export const FROM_GENESIS: ChainStart = { events: 0, headId: null, head: GENESIS_HASH };

/**
 * Checks `events` in id order. From `start` other than the genesis, they are
 * the events after an earlier check that ended intact at `start.headId`.
 */
export function verifyChain(
  events: Iterable<AuditEvent>,
  anchors: readonly Anchor[] = [],
  start: ChainStart = FROM_GENESIS,
): ChainState {
  const pending = new Map(anchors.map((a) => [a.id, a]));
  let prev = start.head;
  let headId = start.headId;
  let count = start.events;
  const broken = (brokenAt: number, why: string, anchor = false): ChainState => ({
    ok: false,
    events: count,
    brokenAt,
    why,
    anchor,
  });
  for (const e of events) {
    count += 1;
    if (e.prevHash !== prev) return broken(e.id, "does not follow the event before it");
    const expected = hashAuditEvent(prev, e, e.createdAt);
    if (expected !== e.hash) return broken(e.id, "its fields no longer match its hash");
    const anchor = pending.get(e.id);
    if (anchor && anchor.hash !== e.hash) {
      return broken(
        e.id,
        `its hash is ${e.hash}, not the anchored ${anchor.hash}: ` +
          "the history up to it was rewritten",
        true,
      );
    }
    pending.delete(e.id);
    prev = e.hash;
    headId = e.id;
  }
  const missing = [...pending.values()].sort((a, b) => a.id - b.id)[0];
  if (missing) {
    const end = headId === null ? "the history is empty" : `the history ends at event #${headId}`;
    const why =
      headId === null || missing.id > headId
        ? `the anchored event is missing: ${end}, so events were removed from its end`
        : "the anchored event is missing";
    return broken(missing.id, why, true);
  }
  return { ok: true, events: count, headId, head: prev };
}
