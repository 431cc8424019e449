// The chain state the audit page shows. Re-hashing the whole history takes
// about a second at 260,000 events, too long for every view, so a view checks
// only the events after the last intact check, and the whole history again
// once the last full check is older than a minute. A changed event in the
// middle is therefore seen within a minute (and at once by audit:verify); a
// new event that does not follow the last checked one is seen at once.
import type { Db } from "@/db/client";
import { iterateAuditEvents } from "@/db/queries/audit";
import { FROM_GENESIS, verifyChain, type ChainState } from "./verify-chain";

export const FULL_CHECK_EVERY_MS = 60_000;

export type PageChainState = ChainState & { fullCheckAt: Date };

type Remembered = { state: ChainState; fullCheckAt: Date };
const byDb = new WeakMap<Db, Remembered>();

export function checkChainForPage(db: Db, now = new Date()): PageChainState {
  const last = byDb.get(db);
  const fresh = last && now.getTime() - last.fullCheckAt.getTime() < FULL_CHECK_EVERY_MS;
  let remembered: Remembered;
  if (last && fresh && last.state.ok) {
    const start = last.state.headId === null ? FROM_GENESIS : last.state;
    const after = start.headId ?? 0;
    const state = verifyChain(iterateAuditEvents(db, 1000, after), [], start);
    remembered = { state, fullCheckAt: last.fullCheckAt };
  } else {
    remembered = { state: verifyChain(iterateAuditEvents(db)), fullCheckAt: now };
  }
  byDb.set(db, remembered);
  return { ...remembered.state, fullCheckAt: remembered.fullCheckAt };
}
