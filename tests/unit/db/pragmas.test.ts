// The connection settings durability rests on. A SIGKILL test cannot tell
// synchronous=FULL from OFF (the OS still holds the writes), so they are read
// back from connections opened the way the product opens them. (Some are
// better-sqlite3's defaults too; what counts is what the connection ends up
// with, so lowering any of them, here or in db/client.ts, fails this test.)
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { getDb, openDatabase, type Db } from "@/db/client";

const globalForDb = globalThis as unknown as { __approvalDb?: Db };
const savedUrl = process.env.DATABASE_URL;
const dirs: string[] = [];
const closers: Array<() => void> = [];

afterEach(() => {
  for (const close of closers.splice(0)) close();
  globalForDb.__approvalDb = undefined;
  if (savedUrl === undefined) delete process.env.DATABASE_URL;
  else process.env.DATABASE_URL = savedUrl;
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

function tempFile(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "mag-pragmas-"));
  dirs.push(dir);
  return path.join(dir, "approvals.db");
}

function pragmas(db: Db) {
  const one = (name: string) =>
    Object.values(db.get<Record<string, unknown>>(sql.raw(`PRAGMA ${name}`))!)[0];
  return {
    journal_mode: one("journal_mode"),
    synchronous: one("synchronous"),
    busy_timeout: one("busy_timeout"),
    foreign_keys: one("foreign_keys"),
  };
}

// synchronous 2 is FULL (0 OFF, 1 NORMAL, 3 EXTRA).
const EXPECTED = { journal_mode: "wal", synchronous: 2, busy_timeout: 5000, foreign_keys: 1 };

describe("the database connection", () => {
  it("is opened with WAL, synchronous=FULL, a 5 s busy timeout and foreign keys (openDatabase)", () => {
    const { db, sqlite } = openDatabase(tempFile());
    closers.push(() => sqlite.close());
    expect(pragmas(db)).toEqual(EXPECTED);
  });

  it("is opened the same way by the process-wide getDb, from DATABASE_URL", () => {
    const file = tempFile();
    process.env.DATABASE_URL = `file:${file}`;
    globalForDb.__approvalDb = undefined;
    const db = getDb();
    closers.push(() => (db as unknown as { $client: { close: () => void } }).$client.close());
    expect(pragmas(db)).toEqual(EXPECTED);
    // It opened the file DATABASE_URL names, and migrated it.
    expect(fs.existsSync(file)).toBe(true);
    const tables = db.all<{ name: string }>(
      sql`SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'audit_events'`,
    );
    expect(tables).toEqual([{ name: "audit_events" }]);
  });
});
