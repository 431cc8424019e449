import { execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterEach, describe, expect, it } from "vitest";
import { migrateDatabase, openDatabase } from "@/db/client";
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

const verify = (file: string) =>
  run("npx", ["tsx", "scripts/audit-verify.ts"], { env: { ...process.env, DATABASE_URL: file } });

describe("npm run audit:verify", () => {
  it("exits 0 and counts the events of an intact chain", async () => {
    const { file, sqlite } = databaseWithEvents();
    sqlite.close();
    const { stdout } = await verify(file);
    expect(stdout).toMatch(/^audit chain intact: 3 events, head [0-9a-f]{64}$/m);
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
});
