// A backup restored the way docs/security.md says (stop the server, copy the
// backup over DATABASE_URL's file, delete its -wal and -shm files, start)
// opens with the product's own code: migrations current, the audit chain
// verifies, and the rows are the ones the live database held when copied.
import { execFile, spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterEach, describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { getDb, migrateDatabase, openDatabase, type Db } from "@/db/client";
import { iterateAuditEvents } from "@/db/queries/audit";
import { getUserById } from "@/db/queries/users";
import { verifyChain } from "@/lib/audit/verify-chain";
import { registerVersion } from "@/lib/gate/versions";
import { addUser, fileDb, userActor } from "../helpers/test-db";

const run = promisify(execFile);
const tsx = path.join(process.cwd(), "node_modules", ".bin", "tsx");
const worker = path.join(process.cwd(), "tests", "unit", "helpers", "register-worker.ts");
const globalForDb = globalThis as unknown as { __approvalDb?: Db };
const savedUrl = process.env.DATABASE_URL;

const cleanup: Array<() => void> = [];
afterEach(() => {
  for (const step of cleanup.splice(0).reverse()) step();
  globalForDb.__approvalDb = undefined;
  if (savedUrl === undefined) delete process.env.DATABASE_URL;
  else process.env.DATABASE_URL = savedUrl;
});

/**
 * A process registering versions into `file` until it is killed. Node runs
 * the worker itself (tsx as a loader): the tsx command would start it as a
 * child of its own, which a SIGKILL to tsx leaves running.
 */
function writer(file: string, userId: number, model: string): ChildProcess {
  const args = ["--import", "tsx", worker, file, String(userId), model, "1000000"];
  const child = spawn(process.execPath, args, {
    env: { ...process.env, LOG_LEVEL: "silent" },
    stdio: "ignore",
  });
  cleanup.push(() => child.kill("SIGKILL"));
  return child;
}

async function killed(child: ChildProcess): Promise<void> {
  const exited = new Promise((resolve) => child.on("exit", resolve));
  child.kill("SIGKILL");
  await exited;
}

const versionCount = (db: Db) =>
  db.get<{ n: number }>(sql`SELECT count(*) AS n FROM model_versions`)?.n ?? 0;

async function untilVersions(db: Db, atLeast: number): Promise<void> {
  while (versionCount(db) < atLeast) await new Promise((r) => setTimeout(r, 20));
}

const versionRows = (db: Db) =>
  db.all<Record<string, unknown>>(sql`SELECT * FROM model_versions ORDER BY id`);

describe("restoring a backup as docs/security.md describes", () => {
  it("gives a database the product opens, whose chain verifies and whose rows are there", async () => {
    // The live database, written by another process while the backup runs.
    const live = fileDb();
    cleanup.push(() => live.close());
    const lead = addUser(live.db, "lead", "Leo Lead");
    for (let i = 0; i < 20; i++) registerVersion(live.db, userActor(lead), "seed", {});
    const liveWriter = writer(live.file, lead.id, "busy");
    await untilVersions(live.db, 40);

    const dest = path.join(path.dirname(live.file), "backups", "approvals-copy.db");
    const backup = await run("npm", ["run", "--silent", "db:backup", "--", dest], {
      env: { ...process.env, DATABASE_URL: live.file, LOG_LEVEL: "silent" },
    });
    expect(backup.stdout).toMatch(/^backed up .* to .*approvals-copy\.db \(\d+ pages\)$/m);
    // The writer carries on past the backup, so the copy is a moment of the
    // original, not its end.
    const atBackupEnd = versionCount(live.db);
    await untilVersions(live.db, atBackupEnd + 20);
    await killed(liveWriter);

    // The server to restore into: its own database, with -wal and -shm files
    // left behind because its process was killed while writing.
    const serverDir = fs.mkdtempSync(path.join(os.tmpdir(), "mag-restore-"));
    cleanup.push(() => fs.rmSync(serverDir, { recursive: true, force: true }));
    const serverFile = path.join(serverDir, "approvals.db");
    const first = openDatabase(serverFile);
    migrateDatabase(first.db);
    const serverLead = addUser(first.db, "lead", "Sam Stale");
    const serverWriter = writer(serverFile, serverLead.id, "stale");
    await untilVersions(first.db, 10);
    first.sqlite.close();
    await killed(serverWriter);
    expect(fs.existsSync(`${serverFile}-wal`)).toBe(true);
    expect(fs.existsSync(`${serverFile}-shm`)).toBe(true);

    // The documented steps: the server is stopped (above); copy the backup
    // over DATABASE_URL's file; delete its -wal and -shm files; start.
    fs.copyFileSync(dest, serverFile);
    fs.rmSync(`${serverFile}-wal`);
    fs.rmSync(`${serverFile}-shm`);
    process.env.DATABASE_URL = serverFile;
    globalForDb.__approvalDb = undefined;
    const restored = getDb();
    cleanup.push(() => (restored as unknown as { $client: { close(): void } }).$client.close());

    const chain = verifyChain(iterateAuditEvents(restored));
    expect(chain).toMatchObject({ ok: true });
    const events = restored.get<{ n: number }>(sql`SELECT count(*) AS n FROM audit_events`)?.n;
    expect(chain.events).toBe(events);

    const copied = versionRows(restored);
    const original = versionRows(live.db);
    expect(copied.length).toBeGreaterThanOrEqual(40);
    expect(copied.length).toBeLessThanOrEqual(atBackupEnd);
    expect(copied).toEqual(original.slice(0, copied.length));
    const staleRows = restored.all(
      sql`SELECT v.id FROM model_versions v JOIN registered_models m ON m.id = v.model_id
          WHERE m.name = 'stale'`,
    );
    expect(staleRows).toEqual([]);

    // The restored database takes writes, and the chain still verifies,
    // with the product's own command.
    const restoredLead = getUserById(restored, lead.id)!;
    const next = registerVersion(restored, userActor(restoredLead), "busy", {});
    expect(next.version.number).toBe(copied.length - 20 + 1);
    const verified = await run(tsx, ["scripts/audit-verify.ts"], {
      env: { ...process.env, DATABASE_URL: serverFile, LOG_LEVEL: "silent" },
    });
    expect(verified.stdout).toMatch(new RegExp(`^audit chain intact: ${events! + 1} events`, "m"));
  }, 120_000);
});
