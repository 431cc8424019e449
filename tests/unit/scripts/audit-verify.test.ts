import { execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterEach, describe, expect, it } from "vitest";
import { migrateDatabase, openDatabase } from "@/db/client";
import { eq } from "drizzle-orm";
import { hashAuditEvent } from "@/db/queries/audit";
import { auditEvents } from "@/db/schema";
import { createToken } from "@/lib/auth/tokens";

const run = promisify(execFile);
const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

function databaseWithEvents() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "mag-audit-"));
  dirs.push(dir);
  const file = path.join(dir, "approvals.db");
  const { db, sqlite } = openDatabase(file);
  migrateDatabase(db);
  for (const name of ["a", "b", "c"]) createToken(db, { name, createdBy: "test" });
  return { file, sqlite };
}

const tsx = path.join(process.cwd(), "node_modules", ".bin", "tsx");
const verify = (file: string, ...args: string[]) =>
  run(tsx, ["scripts/audit-verify.ts", ...args], {
    env: { ...process.env, DATABASE_URL: file, LOG_LEVEL: "silent" },
  });

/** The head a run prints, as the anchor it suggests. */
function anchorFrom(stdout: string): string {
  const match = /--anchor (\d+:[0-9a-f]{64})$/m.exec(stdout);
  if (!match) throw new Error(`no anchor in: ${stdout}`);
  return match[1]!;
}

describe("npm run audit:verify", () => {
  it("exits 0 and counts the events of an intact chain", async () => {
    const { file, sqlite } = databaseWithEvents();
    sqlite.close();
    const { stdout } = await verify(file);
    expect(stdout).toMatch(/^audit chain intact: 3 events, head [0-9a-f]{64}$/m);
  }, 30_000);

  it("prints the head: the newest event's id and hash, as an anchor to check later", async () => {
    const { file, sqlite } = databaseWithEvents();
    const newest = sqlite.prepare("SELECT id, hash FROM audit_events ORDER BY id DESC").get() as {
      id: number;
      hash: string;
    };
    sqlite.close();
    const { stdout } = await verify(file);
    expect(newest.id).toBe(3);
    expect(anchorFrom(stdout)).toBe(`3:${newest.hash}`);
    expect(stdout).toContain(`npm run audit:verify -- --anchor 3:${newest.hash}`);
  }, 30_000);

  it("exits 1 naming the first broken event", async () => {
    const { file, sqlite } = databaseWithEvents();
    sqlite.exec("DROP TRIGGER audit_events_no_update");
    sqlite.exec("UPDATE audit_events SET actor_name = 'someone else' WHERE id = 2");
    sqlite.close();
    await expect(verify(file)).rejects.toMatchObject({
      code: 1,
      stderr: expect.stringContaining("audit chain broken at event #2"),
    });
  }, 30_000);

  it("passes an anchor the history still holds, however many events came after it", async () => {
    const { file, sqlite } = databaseWithEvents();
    sqlite.close();
    const anchor = anchorFrom((await verify(file)).stdout);
    const again = openDatabase(file);
    for (const name of ["d", "e"]) createToken(again.db, { name, createdBy: "test" });
    again.sqlite.close();
    const { stdout } = await verify(file, "--anchor", anchor);
    expect(stdout).toMatch(/^audit chain intact: 5 events/m);
    expect(stdout).toContain(`anchor #${anchor}`.replace(":", " holds: "));
  }, 30_000);
});

describe("events cut from the end of the history", () => {
  /** Five events; the head after the third is written down; the newest three are deleted. */
  async function truncated() {
    const { file, sqlite } = databaseWithEvents();
    sqlite.close();
    const anchor = anchorFrom((await verify(file)).stdout);
    const again = openDatabase(file);
    for (const name of ["d", "e"]) createToken(again.db, { name, createdBy: "test" });
    // Someone with the file: drop the guard, delete the newest three events.
    again.sqlite.exec("DROP TRIGGER audit_events_no_delete");
    again.sqlite.exec("DELETE FROM audit_events WHERE id >= 3");
    again.sqlite.close();
    return { file, anchor };
  }

  it("still verify without an anchor: the chain that is left is whole (the documented limit)", async () => {
    const { file } = await truncated();
    const { stdout } = await verify(file);
    expect(stdout).toMatch(/^audit chain intact: 2 events/m);
  }, 30_000);

  it("fail against the earlier head as anchor, naming the missing event", async () => {
    const { file, anchor } = await truncated();
    await expect(verify(file, "--anchor", anchor)).rejects.toMatchObject({
      code: 1,
      stderr:
        "audit anchor #3 fails: the anchored event is missing: the history ends at event #2, " +
        "so events were removed from its end\n",
    });
  }, 30_000);

  it("fail when the history up to the anchor was rewritten with fresh hashes", async () => {
    const { file, sqlite } = databaseWithEvents();
    sqlite.close();
    const anchor = anchorFrom((await verify(file)).stdout);
    // Rewrite event 2 and re-chain 2 and 3, so the chain alone holds.
    const again = openDatabase(file);
    again.sqlite.exec("DROP TRIGGER audit_events_no_update");
    const rows = again.db.select().from(auditEvents).orderBy(auditEvents.id).all();
    let prev = rows[0]!.hash;
    for (const row of rows.slice(1)) {
      const changed = { ...row, summary: row.id === 2 ? "nothing happened" : row.summary };
      const hash = hashAuditEvent(prev, changed, row.createdAt);
      again.db
        .update(auditEvents)
        .set({ summary: changed.summary, prevHash: prev, hash })
        .where(eq(auditEvents.id, row.id))
        .run();
      prev = hash;
    }
    again.sqlite.close();
    expect((await verify(file)).stdout).toMatch(/^audit chain intact: 3 events/m);
    await expect(verify(file, "--anchor", anchor)).rejects.toMatchObject({
      code: 1,
      stderr: expect.stringMatching(
        /^audit anchor #3 fails: its hash is [0-9a-f]{64}, not the anchored [0-9a-f]{64}: the history up to it was rewritten$/m,
      ),
    });
  }, 30_000);

  it("refuses a malformed anchor with exit 2 and the usage", async () => {
    const { file, sqlite } = databaseWithEvents();
    sqlite.close();
    await expect(verify(file, "--anchor", "3:not-a-hash")).rejects.toMatchObject({
      code: 2,
      stderr: expect.stringContaining("--anchor 3:not-a-hash is not <event id>:<hash>"),
    });
  }, 30_000);

  it("refuses a database that is not there with exit 2, creating no file", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "mag-audit-"));
    dirs.push(dir);
    const missing = path.join(dir, "typo", "approvals.db");
    await expect(verify(missing)).rejects.toMatchObject({
      code: 2,
      stderr: expect.stringContaining(`no database at ${missing}`),
    });
    expect(fs.existsSync(missing)).toBe(false);
  }, 30_000);

  it("refuses a database without an audit history with exit 2", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "mag-audit-"));
    dirs.push(dir);
    const other = path.join(dir, "other.db");
    fs.writeFileSync(other, "");
    await expect(verify(other)).rejects.toMatchObject({
      code: 2,
      stderr: expect.stringContaining("holds no audit history"),
    });
  }, 30_000);

  it("refuses a directory or a file that is not a database with exit 2", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "mag-audit-"));
    dirs.push(dir);
    const text = path.join(dir, "notes.txt");
    fs.writeFileSync(text, "not a database, just some words that fill a page\n".repeat(200));
    for (const wrong of [dir, text]) {
      await expect(verify(wrong)).rejects.toMatchObject({
        code: 2,
        stderr: expect.stringContaining(`cannot read ${wrong}`),
      });
    }
  }, 30_000);
});
