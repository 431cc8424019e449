// Keyset paging over (created_at, id): walking every page, forwards or
// backwards, shows each row once, even when many rows share a timestamp and
// new rows arrive between page loads.
import { afterAll, describe, expect, it } from "vitest";
import fc from "fast-check";
import type { Db } from "@/db/client";
import { approvalRequests } from "@/db/schema";
import { listQueuePage, type QueueKey, type QueueQuery } from "@/db/queries/request-queue";
import { memoryDb, type TestDb } from "../helpers/test-db";
import { addModel, addRequest } from "./queue-world";

const opened: TestDb[] = [];
afterAll(() => {
  while (opened.length > 0) opened.pop()?.close();
});

function query(sort: QueueQuery["sort"], limit: number): QueueQuery {
  return {
    statuses: [],
    environment: null,
    modelContains: null,
    submitterContains: null,
    waitingFor: null,
    sort,
    cursor: null,
    limit,
  };
}

type Walk = { seen: number[]; pages: number };

/** Follows `next` links from the first page; `between` runs after each page load. */
function walkForward(
  db: Db,
  q: QueueQuery,
  between: () => void = () => {},
): Walk & {
  last: QueueKey | null;
} {
  const seen: number[] = [];
  let cursor: QueueQuery["cursor"] = null;
  let pages = 0;
  let lastKey: QueueKey | null = null;
  for (;;) {
    const page = listQueuePage(db, { ...q, cursor });
    pages += 1;
    seen.push(...page.rows.map((r) => r.request.id));
    const last = page.rows[page.rows.length - 1];
    if (last) lastKey = { createdAt: last.request.createdAt.getTime(), id: last.request.id };
    between();
    if (!page.next) return { seen, pages, last: lastKey };
    cursor = { ...page.next, direction: "after" };
    if (pages > 10_000) throw new Error("the walk does not end");
  }
}

/** Follows `previous` links from a page that starts after `from`. */
function walkBackward(db: Db, q: QueueQuery, from: QueueKey, between: () => void = () => {}) {
  const seen: number[] = [];
  let cursor: QueueQuery["cursor"] = { ...from, direction: "before" };
  // The row at `from` itself is on no "before" page: start just past it.
  seen.push(from.id);
  for (let pages = 0; ; pages++) {
    const page = listQueuePage(db, { ...q, cursor });
    seen.unshift(...page.rows.map((r) => r.request.id));
    between();
    if (!page.previous) return seen;
    cursor = { ...page.previous, direction: "before" };
    if (pages > 10_000) throw new Error("the walk does not end");
  }
}

const timestamps = fc.array(fc.integer({ min: 0, max: 4 }), { minLength: 0, maxLength: 40 });

// One database for the file: a fresh one per generated case would spend
// most of the run on migrations. Each case starts from an empty request table.
let shared: { db: Db; version: number } | null = null;

function seed(times: number[]) {
  if (!shared) {
    const open = memoryDb();
    opened.push(open);
    shared = { db: open.db, version: addModel(open.db, "paged") };
  }
  const { db, version } = shared;
  db.delete(approvalRequests).run();
  const ids = times.map((t) => addRequest(db, version, new Date(1_000_000 + t)));
  return { db, version, ids, times };
}

/** The ids in sort order, by (created_at, id). */
function sorted(s: { ids: number[]; times: number[] }, sort: "oldest" | "newest"): number[] {
  const order = s.ids
    .map((id, i) => ({ id, t: s.times[i]! }))
    .sort((a, b) => a.t - b.t || a.id - b.id)
    .map((r) => r.id);
  return sort === "oldest" ? order : order.reverse();
}

// Generated cases take seconds on a busy machine; the default 5 s limit is too tight.
describe("queue pages", { timeout: 30_000 }, () => {
  it("walk forward through every row once, in sort order", () => {
    fc.assert(
      fc.property(
        timestamps,
        fc.integer({ min: 1, max: 7 }),
        fc.constantFrom("oldest", "newest"),
        (times, size, sort) => {
          const s = seed(times);
          const walk = walkForward(s.db, query(sort, size));
          expect(walk.seen).toEqual(sorted(s, sort));
          expect(walk.pages).toBe(Math.max(1, Math.ceil(times.length / size)));
        },
      ),
      { numRuns: 100 },
    );
  });

  it("walk backward from the last row through every row once", () => {
    fc.assert(
      fc.property(
        timestamps.filter((t) => t.length > 0),
        fc.integer({ min: 1, max: 7 }),
        fc.constantFrom("oldest", "newest"),
        (times, size, sort) => {
          const s = seed(times);
          const order = sorted(s, sort);
          const lastId = order[order.length - 1]!;
          const from = { createdAt: 1_000_000 + times[s.ids.indexOf(lastId)]!, id: lastId };
          expect(walkBackward(s.db, query(sort, size), from)).toEqual(order);
        },
      ),
      { numRuns: 100 },
    );
  });

  it("never repeat or skip a row when rows are added between page loads", () => {
    fc.assert(
      fc.property(
        timestamps,
        fc.integer({ min: 1, max: 7 }),
        fc.constantFrom("oldest", "newest"),
        fc.array(fc.integer({ min: 0, max: 4 }), { maxLength: 20 }),
        (times, size, sort, arrivals) => {
          const s = seed(times);
          const queue = [...arrivals];
          const added: number[] = [];
          const addOne = () => {
            const t = queue.shift();
            if (t !== undefined) added.push(addRequest(s.db, s.version, new Date(1_000_000 + t)));
          };
          const walk = walkForward(s.db, query(sort, size), addOne);
          // No repeats, every row present at the start seen, in sort order.
          expect(new Set(walk.seen).size).toBe(walk.seen.length);
          expect(walk.seen.filter((id) => s.ids.includes(id))).toEqual(sorted(s, sort));
          // Rows seen are only ones that exist.
          for (const id of walk.seen) expect([...s.ids, ...added]).toContain(id);
        },
      ),
      { numRuns: 100 },
    );
  });

  it("never repeat or skip a row walking backward while rows are added", () => {
    fc.assert(
      fc.property(
        timestamps.filter((t) => t.length > 0),
        fc.integer({ min: 1, max: 7 }),
        fc.constantFrom("oldest", "newest"),
        fc.array(fc.integer({ min: 0, max: 4 }), { maxLength: 20 }),
        (times, size, sort, arrivals) => {
          const s = seed(times);
          const order = sorted(s, sort);
          const lastId = order[order.length - 1]!;
          const from = { createdAt: 1_000_000 + times[s.ids.indexOf(lastId)]!, id: lastId };
          const queue = [...arrivals];
          const addOne = () => {
            const t = queue.shift();
            if (t !== undefined) addRequest(s.db, s.version, new Date(1_000_000 + t));
          };
          const seen = walkBackward(s.db, query(sort, size), from, addOne);
          expect(new Set(seen).size).toBe(seen.length);
          expect(seen.filter((id) => s.ids.includes(id))).toEqual(order);
        },
      ),
      { numRuns: 100 },
    );
  });

  it("offer no previous page on the first page and no next page on the last", () => {
    const s = seed([0, 0, 0, 1, 2]);
    const first = listQueuePage(s.db, query("oldest", 2));
    expect(first.previous).toBeNull();
    expect(first.next).not.toBeNull();
    const second = listQueuePage(s.db, {
      ...query("oldest", 2),
      cursor: { ...first.next!, direction: "after" },
    });
    expect(second.previous).not.toBeNull();
    const back = listQueuePage(s.db, {
      ...query("oldest", 2),
      cursor: { ...second.previous!, direction: "before" },
    });
    expect(back.rows.map((r) => r.request.id)).toEqual(first.rows.map((r) => r.request.id));
    expect(back.previous).toBeNull();
  });
});
