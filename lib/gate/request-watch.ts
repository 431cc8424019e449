// One shared watcher for every long-polling pipeline in this process. Changes
// made here wake waiters at once (request-events); changes made by another
// process (a second server, a script on the same file) are found by a single
// query over all watched requests each tick, however many pipelines wait.
import type { Db } from "@/db/client";
import { listRequestStamps } from "@/db/queries/requests";
import { isFinal } from "@/lib/requests/status";
import { notifyRequestChanged } from "./request-events";

const TICK_MS = 500;

type Watch = { count: number; stamp: number | null };
type State = { watched: Map<number, Watch>; timer: NodeJS.Timeout | null; db: Db | null };

const globalForWatch = globalThis as unknown as { __requestWatch?: State };
const state = (globalForWatch.__requestWatch ??= { watched: new Map(), timer: null, db: null });

function tick(): void {
  if (!state.db || state.watched.size === 0) return;
  const now = Date.now();
  for (const row of listRequestStamps(state.db, [...state.watched.keys()])) {
    const watch = state.watched.get(row.id);
    if (!watch) continue;
    const stamp = row.updatedAt.getTime();
    // An expiry writes nothing until someone reads, so a due deadline counts
    // as a change: the waiter re-reads and the read records the expiry.
    const due = row.expiresAt !== null && row.expiresAt.getTime() <= now && !isFinal(row.status);
    if ((watch.stamp !== null && stamp !== watch.stamp) || due) notifyRequestChanged(row.id);
    watch.stamp = stamp;
  }
}

/** Watches a request until the returned function is called. */
export function watchRequest(db: Db, requestId: number): () => void {
  state.db = db;
  const watch = state.watched.get(requestId) ?? { count: 0, stamp: null };
  watch.count += 1;
  state.watched.set(requestId, watch);
  if (!state.timer) {
    state.timer = setInterval(tick, TICK_MS);
    state.timer.unref();
  }
  return () => {
    watch.count -= 1;
    if (watch.count <= 0) state.watched.delete(requestId);
    if (state.watched.size === 0 && state.timer) {
      clearInterval(state.timer);
      state.timer = null;
    }
  };
}

export function watchedRequestCount(): number {
  return state.watched.size;
}
