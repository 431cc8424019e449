// npm run db:backup: an online copy through SQLite's backup API, taken while
// another process keeps writing, restores to a database whose migrations are
// current, whose audit chain verifies and whose rows match the original's.
import { execFile, spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import { afterEach, describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { migrateDatabase, openDatabase } from "@/db/client";
import { iterateAuditEvents } from "@/db/queries/audit";
import { verifyChain } from "@/lib/audit/verify-chain";
import { registerVersion } from "@/lib/gate/versions";
import { backupDatabase } from "@/scripts/db-backup";
import { addUser, fileDb, userActor } from "../helpers/test-db";

const run = promisify(execFile);
let open: ReturnType<typeof fileDb> | null = null;
const writers: ChildProcess[] = [];
afterEach(() => {
  // Also when a test timed out mid-copy: no writer outlives its test.
  for (const child of writers.splice(0)) child.kill("SIGKILL");
  open?.close();
  open = null;
});

const tsx = path.join(process.cwd(), "node_modules", ".bin", "tsx");
const worker = path.join(process.cwd(), "tests", "unit", "helpers", "register-worker.ts");
const journal = JSON.parse(
  fs.readFileSync(path.join(process.cwd(), "db/migrations/meta/_journal.json"), "utf8"),
) as { entries: unknown[] };

describe("npm run db:backup", () => {
  it("copies a database that another process is writing to, consistently", async () => {
    open = fileDb();
    const lead = addUser(open.db, "lead", "Leo Lead");
    for (let i = 0; i < 20; i++) registerVersion(open.db, userActor(lead), "seed", {});
    const writer = spawn(tsx, [worker, open.file, String(lead.id), "busy", "400"], {
      env: { ...process.env, LOG_LEVEL: "silent" },
    });
    const finished = new Promise((resolve) => writer.on("exit", resolve));
    // Wait until the writer is writing, then copy in the middle of its run.
    const count = () =>
      open!.db.get<{ n: number }>(sql`SELECT count(*) AS n FROM model_versions`)?.n ?? 0;
    while (count() < 40) await new Promise((r) => setTimeout(r, 20));
    const dest = path.join(path.dirname(open.file), "backup", "copy.db");
    await backupDatabase(open.file, dest);
    await finished;

    const copy = openDatabase(dest);
    try {
      expect(copy.sqlite.pragma("integrity_check", { simple: true })).toBe("ok");
      const applied = copy.db.get<{ n: number }>(
        sql`SELECT count(*) AS n FROM __drizzle_migrations`,
      );
      expect(applied?.n).toBe(journal.entries.length);
      migrateDatabase(copy.db); // nothing left to apply
      const chain = verifyChain(iterateAuditEvents(copy.db));
      expect(chain.ok).toBe(true);

      const rows = (db: typeof copy.db) =>
        db.all<Record<string, unknown>>(sql`SELECT * FROM model_versions ORDER BY id`);
      const copied = rows(copy.db);
      const original = rows(open.db);
      // A moment of the original: some of the writer's versions, in order, unchanged.
      expect(copied.length).toBeGreaterThanOrEqual(40);
      expect(copied.length).toBeLessThan(original.length);
      expect(copied).toEqual(original.slice(0, copied.length));
      const events = copy.db.get<{ n: number }>(sql`SELECT count(*) AS n FROM audit_events`);
      expect(chain.ok && chain.events).toBe(events?.n);
    } finally {
      copy.sqlite.close();
    }
  }, 60_000);

  // Copied 100 pages a step (better-sqlite3's default), every write by another
  // connection between steps restarts the copy, so a database of thousands of
  // pages written without pause was never copied: this test timed out.
  it("copies a database of thousands of pages that another process writes without pause", async () => {
    open = fileDb();
    const lead = addUser(open.db, "lead", "Leo Lead");
    registerVersion(open.db, userActor(lead), "seed", {});
    open.db.run(sql`WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < 499999)
      INSERT INTO metrics (version_id, name, value, step, split, created_at)
      SELECT 1, 'curve' || (i / 10000), 0.5, i % 10000, NULL, 0 FROM n`);
    const args = ["--import", "tsx", worker, open.file, String(lead.id), "busy", "1000000"];
    const writer = spawn(process.execPath, args, {
      env: { ...process.env, LOG_LEVEL: "silent" },
      stdio: "ignore",
    });
    writers.push(writer);
    const exited = new Promise((resolve) => writer.on("exit", resolve));
    try {
      const count = () =>
        open!.db.get<{ n: number }>(sql`SELECT count(*) AS n FROM model_versions`)?.n ?? 0;
      while (count() < 20) await new Promise((r) => setTimeout(r, 20));
      const dest = path.join(path.dirname(open.file), "big-copy.db");
      const pages = await backupDatabase(open.file, dest);
      expect(pages).toBeGreaterThan(5000);
      // Still writing after the copy: the copy was taken while it wrote.
      const atEnd = count();
      while (count() < atEnd + 5) await new Promise((r) => setTimeout(r, 20));

      const copy = openDatabase(dest);
      try {
        expect(copy.sqlite.pragma("integrity_check", { simple: true })).toBe("ok");
        expect(verifyChain(iterateAuditEvents(copy.db)).ok).toBe(true);
        const rows = (db: typeof copy.db) =>
          db.all<Record<string, unknown>>(sql`SELECT * FROM model_versions ORDER BY id`);
        const copied = rows(copy.db);
        expect(copied.length).toBeGreaterThanOrEqual(20);
        expect(copied).toEqual(rows(open.db).slice(0, copied.length));
      } finally {
        copy.sqlite.close();
      }
    } finally {
      writer.kill("SIGKILL");
      await exited;
    }
  }, 60_000);

  it("refuses to overwrite a file and says how to call it", async () => {
    open = fileDb();
    const env = { ...process.env, DATABASE_URL: open.file };
    const dest = path.join(path.dirname(open.file), "copy.db");
    const { stdout } = await run(tsx, ["scripts/db-backup.ts", dest], { env });
    expect(stdout).toMatch(/^backed up .* to .*copy\.db \(\d+ pages\)$/m);
    await expect(run(tsx, ["scripts/db-backup.ts", dest], { env })).rejects.toMatchObject({
      code: 1,
      stderr: expect.stringContaining("exists; choose a new file"),
    });
    await expect(run(tsx, ["scripts/db-backup.ts"], { env })).rejects.toMatchObject({ code: 2 });
  }, 60_000);
});
