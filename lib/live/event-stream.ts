// The live-updates stream: server-sent events telling an open page which
// requests changed, so it can refresh itself.
//
// Why SSE and not polling: a change reaches every open page within a tenth
// of a second of its commit, and an idle page costs the server one open
// connection and no queries, where polling costs a request and a query per
// tab per interval and still lags by up to the interval. EventSource also
// reconnects by itself after a restart. The cost is one connection per tab,
// which counts against a browser's six connections per host over HTTP/1.1;
// the client closes its stream while its tab is hidden to stay well inside.
import type { Db } from "@/db/client";
import { getUserById } from "@/db/queries/users";
import { onShutdown } from "@/lib/gate/request-events";
import { logFor } from "@/lib/log";
import { subscribeToRequestChanges, type RequestChange } from "./request-feed";

const log = logFor("live");

// TODO: open streams per process are not capped; thousands of open tabs would
// each hold a connection and a listener until their tab is hidden or closed.

// Proxies and load balancers close connections idle for 30-60 s by default.
export const KEEP_ALIVE_MS = 20_000;
// How long EventSource waits before reconnecting after the stream ends.
const RETRY_MS = 3_000;

export function liveEventStream(
  db: Db,
  userId: number,
  signal: AbortSignal,
  keepAliveMs = KEEP_ALIVE_MS,
): Response {
  const encoder = new TextEncoder();
  const openedAt = Date.now();
  let close = () => {};
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      let open = true;
      const send = (text: string) => {
        if (!open) return;
        try {
          controller.enqueue(encoder.encode(text));
        } catch {
          close();
        }
      };
      // A person disabled while the page is open (even if enabled again
      // since: disabling ends every session) gets nothing more: checked
      // before each message, not only at the keep-alive.
      const stillAllowed = () => {
        const user = getUserById(db, userId);
        const signedOut = user?.sessionsValidAfter && user.sessionsValidAfter.getTime() > openedAt;
        if (user && !user.disabled && !signedOut) return true;
        close();
        return false;
      };
      const unsubscribe = subscribeToRequestChanges(db, (changes: RequestChange[]) => {
        if (stillAllowed()) {
          send(`event: change\ndata: ${JSON.stringify({ requests: changes })}\n\n`);
        }
      });
      const keepAlive = setInterval(() => {
        if (stillAllowed()) send(": keep-alive\n\n");
      }, keepAliveMs);
      // On SIGTERM the stream ends so the server can exit; the browser
      // reconnects after RETRY_MS, to whichever server is then running.
      const stopShutdown = onShutdown(() => close());
      close = () => {
        if (!open) return;
        open = false;
        unsubscribe();
        clearInterval(keepAlive);
        stopShutdown();
        signal.removeEventListener("abort", close);
        try {
          controller.close();
        } catch {
          // the client already went away
        }
      };
      signal.addEventListener("abort", close);
      send(`retry: ${RETRY_MS}\n: connected\n\n`);
      log.debug({ user: userId }, "live stream opened");
    },
    cancel() {
      close();
    },
  });
  return new Response(body, {
    headers: {
      "content-type": "text/event-stream; charset=utf-8",
      // no-transform keeps the stream out of compression, which would buffer it.
      "cache-control": "no-cache, no-transform",
      connection: "keep-alive",
      "x-accel-buffering": "no",
    },
  });
}
