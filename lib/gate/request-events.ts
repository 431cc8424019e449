// Wakes long-polling gate calls in this process when a request changes,
// whether the change was made here or found by the shared watcher.
import { EventEmitter } from "node:events";

const globalForEvents = globalThis as unknown as { __requestEvents?: EventEmitter };
const events = (globalForEvents.__requestEvents ??= new EventEmitter());
events.setMaxListeners(0);

const SHUTDOWN = "shutdown";
const ANY_REQUEST = "request:any";
const globalForShutdown = globalThis as unknown as {
  __gateShuttingDown?: boolean;
  __requestChanges?: number;
};

/**
 * On SIGTERM every waiting pipeline is answered at once with the status as
 * it stands, so open long polls end and the server can exit; the pipeline
 * polls again and reaches the next server.
 */
export function beginShutdown(): void {
  globalForShutdown.__gateShuttingDown = true;
  events.emit(SHUTDOWN);
}

export function isShuttingDown(): boolean {
  return globalForShutdown.__gateShuttingDown === true;
}

/**
 * Wakes the waiters on the next turn of the event loop, so the call that
 * made the change answers first instead of after every woken waiter.
 */
export function notifyRequestChanged(requestId: number): void {
  globalForShutdown.__requestChanges = (globalForShutdown.__requestChanges ?? 0) + 1;
  setImmediate(() => {
    events.emit(`request:${requestId}`);
    events.emit(ANY_REQUEST, requestId);
  });
}

/**
 * How many request changes this process has made so far. It moves as soon as
 * a change commits, before any listener runs, so a cache keyed on it is never
 * read stale by the very request that made the change.
 */
export function requestChangeCount(): number {
  return globalForShutdown.__requestChanges ?? 0;
}

/** Calls `listener` with the id of every request that changes, until unsubscribed. */
export function onAnyRequestChange(listener: (requestId: number) => void): () => void {
  events.on(ANY_REQUEST, listener);
  return () => events.off(ANY_REQUEST, listener);
}

/** Calls `listener` once when the server begins to shut down. */
export function onShutdown(listener: () => void): () => void {
  if (isShuttingDown()) {
    listener();
    return () => {};
  }
  events.once(SHUTDOWN, listener);
  return () => events.off(SHUTDOWN, listener);
}

/** Resolves when the request changes or after `ms`, whichever comes first. */
export function waitForRequestChange(requestId: number, ms: number, signal?: AbortSignal) {
  return new Promise<void>((resolve) => {
    const key = `request:${requestId}`;
    const done = () => {
      clearTimeout(timer);
      events.off(key, done);
      events.off(SHUTDOWN, done);
      signal?.removeEventListener("abort", done);
      resolve();
    };
    const timer = setTimeout(done, Math.max(0, ms));
    events.on(key, done);
    events.on(SHUTDOWN, done);
    signal?.addEventListener("abort", done);
  });
}
