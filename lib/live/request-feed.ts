// One feed of request changes for every open browser tab in this process.
// Changes made here arrive from the event bus at once; changes made by
// another process on the same database file are found by one cheap check a
// second (SQLite's data_version), then read from the audit history, where
// every state change is written. Each change names its model and version so
// a page can tell whether it concerns it.
import type { Db } from "@/db/client";
import {
  latestAuditEventId,
  listAuditedSubjectsAfter,
  listOpenRequestIdsOfVersions,
  listRequestPlaces,
  readDataVersion,
  type RequestPlace,
} from "@/db/queries/request-changes";
import { onAnyRequestChange } from "@/lib/gate/request-events";
import { logFor } from "@/lib/log";

const log = logFor("live");

// TODO: other processes are only noticed through a shared SQLite file; several
// servers sharing a PostgreSQL database would need LISTEN/NOTIFY here,
// or their pages would refresh only for changes made by their own server.

export type RequestChange = RequestPlace;
type Listener = (changes: RequestChange[]) => void;

// Changes are gathered this long and sent together: a decision that touches
// several requests, or a burst of registrations, becomes one message.
const GATHER_MS = 100;
const OTHER_PROCESS_TICK_MS = 1_000;
// A longer backlog is read over several ticks.
const AUDIT_ROWS_PER_TICK = 2_000;

type State = {
  db: Db | null;
  listeners: Set<Listener>;
  pending: Set<number>;
  gatherTimer: NodeJS.Timeout | null;
  tickTimer: NodeJS.Timeout | null;
  stopBus: (() => void) | null;
  dataVersion: number;
  auditId: number;
};

const globalForFeed = globalThis as unknown as { __requestFeed?: State };
const state = (globalForFeed.__requestFeed ??= {
  db: null,
  listeners: new Set(),
  pending: new Set(),
  gatherTimer: null,
  tickTimer: null,
  stopBus: null,
  dataVersion: 0,
  auditId: 0,
});

function flush(): void {
  state.gatherTimer = null;
  const ids = [...state.pending];
  state.pending.clear();
  if (!state.db || ids.length === 0 || state.listeners.size === 0) return;
  let changes: RequestChange[];
  try {
    changes = listRequestPlaces(state.db, ids);
  } catch (error) {
    log.error({ err: error }, "could not read changed requests");
    return;
  }
  for (const listener of state.listeners) listener(changes);
}

function queue(requestId: number): void {
  state.pending.add(requestId);
  state.gatherTimer ??= setTimeout(flush, GATHER_MS);
}

/**
 * Finds requests another process changed since the last tick. Events this
 * process wrote may be read again here (the audit history does not say which
 * process wrote a row); a page then refreshes once more, which is harmless,
 * whereas skipping them could lose another process's change.
 */
function tick(): void {
  const db = state.db;
  if (!db) return;
  try {
    const version = readDataVersion(db);
    if (version === state.dataVersion) return;
    const rows = listAuditedSubjectsAfter(db, state.auditId, AUDIT_ROWS_PER_TICK);
    const versions: number[] = [];
    for (const row of rows) {
      if (row.subjectId === null) continue;
      if (row.subjectType === "request") queue(row.subjectId);
      // New metrics change what an open request's page shows, not its status.
      if (row.action === "metrics.recorded") versions.push(row.subjectId);
    }
    listOpenRequestIdsOfVersions(db, versions).forEach(queue);
    state.auditId = rows[rows.length - 1]?.id ?? state.auditId;
    // A full batch may have more behind it: look again next tick.
    if (rows.length < AUDIT_ROWS_PER_TICK) state.dataVersion = version;
  } catch (error) {
    log.error({ err: error }, "could not look for changes by other processes");
  }
}

function start(db: Db): void {
  state.db = db;
  state.dataVersion = readDataVersion(db);
  state.auditId = latestAuditEventId(db);
  state.stopBus = onAnyRequestChange(queue);
  state.tickTimer = setInterval(tick, OTHER_PROCESS_TICK_MS);
  state.tickTimer.unref();
}

function stop(): void {
  state.stopBus?.();
  state.stopBus = null;
  if (state.tickTimer) clearInterval(state.tickTimer);
  state.tickTimer = null;
  if (state.gatherTimer) clearTimeout(state.gatherTimer);
  state.gatherTimer = null;
  state.pending.clear();
}

/** Calls `listener` with each batch of changed requests until the returned function is called. */
export function subscribeToRequestChanges(db: Db, listener: Listener): () => void {
  if (state.listeners.size === 0) start(db);
  state.listeners.add(listener);
  return () => {
    if (!state.listeners.delete(listener)) return;
    if (state.listeners.size === 0) stop();
  };
}

export function subscriberCount(): number {
  return state.listeners.size;
}
