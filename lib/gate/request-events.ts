// Wakes long-polling gate calls in this process when a request changes,
// whether the change was made here or found by the shared watcher.
import { EventEmitter } from "node:events";

const globalForEvents = globalThis as unknown as { __requestEvents?: EventEmitter };
const events = (globalForEvents.__requestEvents ??= new EventEmitter());
events.setMaxListeners(0);

export function notifyRequestChanged(requestId: number): void {
  events.emit(`request:${requestId}`);
}

/** Resolves when the request changes or after `ms`, whichever comes first. */
export function waitForRequestChange(requestId: number, ms: number, signal?: AbortSignal) {
  return new Promise<void>((resolve) => {
    const key = `request:${requestId}`;
    const done = () => {
      clearTimeout(timer);
      events.off(key, done);
      signal?.removeEventListener("abort", done);
      resolve();
    };
    const timer = setTimeout(done, Math.max(0, ms));
    events.on(key, done);
    signal?.addEventListener("abort", done);
  });
}
