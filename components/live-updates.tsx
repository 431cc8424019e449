"use client";
// Keeps the queue and version pages current without a reload. It listens to
// /api/live (server-sent events; lib/live/event-stream.ts says why) and
// refreshes the page's server data when a change concerns it. A refresh
// keeps client state, so a half-typed comment in a decision form survives.
import { usePathname, useRouter } from "next/navigation";
import { useEffect, useRef, useState } from "react";
import { concernsPage, livePageOf, type ChangedRequest } from "@/lib/live/relevance";

// TODO: other pages (models, audit…) do not refresh, so their navigation
// counts stay as they were until the next navigation.

// A burst of changes becomes at most one refresh a second.
const MIN_REFRESH_GAP_MS = 1_000;
// After the server refused or dropped the stream for good (EventSource gives up on a 503).
const RECONNECT_MS = 5_000;

function describe(updatedAt: Date | null, now: number): string {
  if (!updatedAt) return "";
  if (now - updatedAt.getTime() < 60_000) return "Updated just now";
  return `Updated at ${updatedAt.toLocaleTimeString(undefined, { hour: "2-digit", minute: "2-digit" })}`;
}

export function LiveUpdates() {
  const router = useRouter();
  const pathname = usePathname();
  const path = useRef(pathname);
  const [updatedAt, setUpdatedAt] = useState<Date | null>(null);
  const [paused, setPaused] = useState(false);
  const [now, setNow] = useState(() => Date.now());

  useEffect(() => {
    path.current = pathname;
    setUpdatedAt(null);
  }, [pathname]);

  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 15_000);
    return () => clearInterval(timer);
  }, []);

  useEffect(() => {
    let source: EventSource | null = null;
    let reconnect: ReturnType<typeof setTimeout> | undefined;
    let trailing: ReturnType<typeof setTimeout> | undefined;
    let lastRefresh = 0;
    let missedSome = false;

    const refresh = () => {
      const wait = lastRefresh + MIN_REFRESH_GAP_MS - Date.now();
      if (wait > 0) {
        trailing ??= setTimeout(() => {
          trailing = undefined;
          refresh();
        }, wait);
        return;
      }
      lastRefresh = Date.now();
      router.refresh();
      setUpdatedAt(new Date());
      setNow(Date.now());
    };

    const connect = () => {
      clearTimeout(reconnect);
      const es = new EventSource("/api/live");
      source = es;
      es.addEventListener("open", () => {
        setPaused(false);
        // Changes made while the stream was down were not seen: catch up once.
        if (missedSome && livePageOf(path.current)) refresh();
        missedSome = false;
      });
      es.addEventListener("change", (event) => {
        const { requests } = JSON.parse((event as MessageEvent<string>).data) as {
          requests: ChangedRequest[];
        };
        if (concernsPage(path.current, requests)) refresh();
      });
      es.addEventListener("error", () => {
        missedSome = true;
        setPaused(true);
        if (es.readyState === EventSource.CLOSED) {
          es.close();
          if (source === es) source = null;
          reconnect = setTimeout(connect, RECONNECT_MS);
        }
      });
    };

    // A hidden tab holds no connection (browsers allow six per host over HTTP/1.1).
    const onVisibility = () => {
      if (document.hidden) {
        source?.close();
        source = null;
        clearTimeout(reconnect);
        missedSome = true;
      } else if (!source) {
        connect();
      }
    };

    if (!document.hidden) connect();
    document.addEventListener("visibilitychange", onVisibility);
    return () => {
      document.removeEventListener("visibilitychange", onVisibility);
      source?.close();
      clearTimeout(reconnect);
      clearTimeout(trailing);
    };
  }, [router]);

  const live = livePageOf(pathname) !== null;
  const text = !live
    ? ""
    : paused
      ? "Live updates paused; reconnecting…"
      : describe(updatedAt, now);
  return (
    // aria-live without role="status": forms on these pages own the status role.
    <p
      aria-live="polite"
      aria-atomic="true"
      data-testid="live-status"
      className="-mt-3 mb-3 min-h-4 text-right text-xs text-gray-600 dark:text-gray-400"
    >
      {text}
    </p>
  );
}
