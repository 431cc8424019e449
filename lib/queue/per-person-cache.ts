// Results per person that change only when a request changes: who the open
// requests wait for, and the navigation's counts. Every page load needs
// them, and at thousands of open requests they cost tens of milliseconds.
// An entry is used while nothing has changed: no request change in this
// process (requestChangeCount), no commit by another process (SQLite's
// data_version), and the same role and groups for the person.
import type { Db } from "@/db/client";
import { readDataVersion } from "@/db/queries/request-changes";
import type { Person } from "@/lib/approvals/quorum";
import { requestChangeCount } from "@/lib/gate/request-events";

// A deadline passes without any write; this bounds how long a count can
// still include a request that has just become overdue.
const MAX_AGE_MS = 10_000;
const MAX_ENTRIES = 5_000;

type Entry = { stamp: string; at: number; value: unknown };

// Per connection: tests open many databases in one process.
const globalForCache = globalThis as unknown as {
  __perPersonCache?: WeakMap<Db, Map<string, Entry>>;
};
const byDb = (globalForCache.__perPersonCache ??= new WeakMap());

export function rememberFor<T>(db: Db, name: string, person: Person, compute: () => T): T {
  let entries = byDb.get(db);
  if (!entries) byDb.set(db, (entries = new Map()));
  const key = `${name}:${person.id}`;
  const stamp = [
    person.role,
    person.groups.join(","),
    requestChangeCount(),
    readDataVersion(db),
  ].join("|");
  const now = Date.now();
  const hit = entries.get(key);
  if (hit && hit.stamp === stamp && now - hit.at < MAX_AGE_MS) return hit.value as T;
  const value = compute();
  if (entries.size >= MAX_ENTRIES) entries.clear();
  entries.set(key, { stamp, at: now, value });
  return value;
}
