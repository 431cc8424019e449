import { execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterEach, describe, expect, it } from "vitest";
import { openDatabase } from "@/db/client";
import { getTokenBySecretHash } from "@/db/queries/tokens";
import { hashTokenSecret } from "@/lib/auth/token-secrets";

const run = promisify(execFile);
const dirs: string[] = [];

function tempDatabase() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "mag-token-"));
  dirs.push(dir);
  return path.join(dir, "approvals.db");
}

function tokenCreate(args: string[], databaseUrl: string) {
  return run("npx", ["tsx", "scripts/token-create.ts", ...args], {
    env: { ...process.env, DATABASE_URL: databaseUrl, LOG_LEVEL: "warn" },
  });
}

afterEach(() => {
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

describe("npm run token:create", () => {
  it("prints the secret alone on the last line and stores only its hash", async () => {
    const file = tempDatabase();
    const { stdout } = await tokenCreate(["--name", "ci-pipeline"], file);
    const secret = stdout.trim().split("\n").at(-1) ?? "";
    expect(secret).toMatch(/^mag_[A-Za-z0-9_-]{43}$/);
    const { db, sqlite } = openDatabase(file);
    const row = getTokenBySecretHash(db, hashTokenSecret(secret));
    sqlite.close();
    expect(row).toMatchObject({
      name: "ci-pipeline",
      scopes: ["register", "request", "read", "deploy"],
    });
    for (const f of [file, `${file}-wal`].filter((f) => fs.existsSync(f))) {
      expect(fs.readFileSync(f).includes(Buffer.from(secret))).toBe(false);
    }
  }, 30_000);

  it("exits 2 with a message when --name is missing or a scope is unknown", async () => {
    const file = tempDatabase();
    await expect(tokenCreate([], file)).rejects.toMatchObject({
      code: 2,
      stderr: expect.stringContaining("--name NAME is required"),
    });
    await expect(tokenCreate(["--name", "x", "--scopes", "root"], file)).rejects.toMatchObject({
      code: 2,
      stderr: expect.stringContaining("Unknown scope root"),
    });
  }, 30_000);
});
