// GET /audit/export records the export, so it needs the write lock. With the
// database locked past the busy timeout it answers as the API does: 503 with
// Retry-After and unavailable:database_busy, nothing recorded; once the lock
// is free the same call exports.
import { afterEach, describe, expect, it, vi } from "vitest";
import { sql } from "drizzle-orm";
import { GET } from "@/app/audit/export/route";
import { addUser, fileDb } from "../helpers/test-db";

const session: { current: { user: { id: number } } | null } = { current: null };
vi.mock("next-auth", async (original) => ({
  ...(await original<typeof import("next-auth")>()),
  getServerSession: async () => session.current,
}));

const globalForDb = globalThis as unknown as { __approvalDb?: unknown };
let open: ReturnType<typeof fileDb> | null = null;
afterEach(() => {
  open?.close();
  open = null;
  globalForDb.__approvalDb = undefined;
  session.current = null;
});

const exports = (db: ReturnType<typeof fileDb>["db"]) =>
  db.get<{ n: number }>(sql`SELECT count(*) AS n FROM audit_events WHERE action = 'audit.exported'`)
    ?.n;

describe("GET /audit/export with the database locked past the busy timeout", () => {
  it("answers 503 with Retry-After and records nothing, then exports once free", async () => {
    open = fileDb();
    const lead = addUser(open.db, "lead", "Leo Lead");
    globalForDb.__approvalDb = open.db;
    session.current = { user: { id: lead.id } };
    open.sqlite.pragma("busy_timeout = 50");
    const holder = open.connect();
    holder.sqlite.exec("BEGIN IMMEDIATE");
    const call = () =>
      GET(new Request("http://gate.test/audit/export", { headers: { host: "gate.test" } }));

    const busy = await call();
    expect(busy.status).toBe(503);
    expect(busy.headers.get("retry-after")).toBe("1");
    expect(await busy.json()).toMatchObject({
      code: "unavailable:database_busy",
      detail: "The database is busy; try again in a second.",
    });
    holder.sqlite.exec("ROLLBACK");
    expect(exports(open.db)).toBe(0);

    const done = await call();
    expect(done.status).toBe(200);
    expect(await done.text()).toMatch(/^id,time \(UTC\),/);
    expect(exports(open.db)).toBe(1);
  });
});
