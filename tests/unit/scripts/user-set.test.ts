// npm run user:set: a role change or a disable is audited and bites at the
// person's very next call, their personal tokens included.
import { execFile } from "node:child_process";
import path from "node:path";
import { promisify } from "node:util";
import { afterEach, describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { getUserById } from "@/db/queries/users";
import { actorFromBearer, createPersonalToken } from "@/lib/auth/tokens";
import { addUser, fileDb, thrown, userActor } from "../helpers/test-db";

const run = promisify(execFile);
const tsx = path.join(process.cwd(), "node_modules", ".bin", "tsx");
let open: ReturnType<typeof fileDb> | null = null;
afterEach(() => {
  open?.close();
  open = null;
});

const userSet = (file: string, ...args: string[]) =>
  run(tsx, ["scripts/user-set.ts", ...args], { env: { ...process.env, DATABASE_URL: file } });

describe("npm run user:set", () => {
  it("disables a person: audited, and their personal token is refused at once", async () => {
    open = fileDb();
    const rita = addUser(open.db, "reviewer", "Rita");
    const token = createPersonalToken(open.db, userActor(rita), {
      name: "bot",
      expiresInDays: null,
    });
    expect(actorFromBearer(open.db, token.secret).type).toBe("token");

    const { stdout } = await userSet(open.file, "--email", rita.email, "--disable");
    expect(stdout.trim()).toBe(`${rita.email}: role reviewer, disabled`);
    expect(thrown(() => actorFromBearer(open!.db, token.secret))).toMatchObject({ status: 401 });
    const event = open.db.get<{ action: string; summary: string; actor_type: string }>(
      sql`SELECT action, summary, actor_type FROM audit_events ORDER BY id DESC LIMIT 1`,
    );
    expect(event).toMatchObject({
      action: "user.changed",
      summary: `changed user ${rita.email}: disabled (signed out everywhere, 1 personal tokens revoked)`,
      actor_type: "system",
    });
  }, 30_000);

  it("enabling a disabled person again does not bring back their old token", async () => {
    open = fileDb();
    const rita = addUser(open.db, "reviewer", "Rita");
    const token = createPersonalToken(open.db, userActor(rita), {
      name: "bot",
      expiresInDays: null,
    });
    await userSet(open.file, "--email", rita.email, "--disable");
    await userSet(open.file, "--email", rita.email, "--enable");
    expect(getUserById(open.db, rita.id)).toMatchObject({ disabled: false });
    expect(thrown(() => actorFromBearer(open!.db, token.secret))).toMatchObject({ status: 401 });
  }, 30_000);

  it("changes a role, and refuses an unknown role or email with exit 2", async () => {
    open = fileDb();
    const rita = addUser(open.db, "reviewer", "Rita");
    await userSet(open.file, "--email", rita.email, "--role", "lead");
    expect(getUserById(open.db, rita.id)?.role).toBe("lead");
    await expect(userSet(open.file, "--email", rita.email, "--role", "king")).rejects.toMatchObject(
      { code: 2, stderr: expect.stringContaining("Unknown role king") },
    );
    await expect(
      userSet(open.file, "--email", "nobody@example.com", "--disable"),
    ).rejects.toMatchObject({ code: 2, stderr: expect.stringContaining("No user") });
  }, 30_000);
});
