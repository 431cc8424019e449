// A server action that meets the database locked by another connection past
// the busy timeout tells the person the database is busy (not "something went
// wrong", not a raw SQLITE_BUSY) and writes nothing; once the lock is free
// the same click goes through.
import { afterEach, describe, expect, it, vi } from "vitest";
import { sql } from "drizzle-orm";
import { decideRequestAction } from "@/app/actions/decide-request";
import { requestApproval } from "@/lib/gate/requests";
import { registerVersion } from "@/lib/gate/versions";
import { addUser, fileDb, userActor } from "../helpers/test-db";

const session: { current: { user: { id: number } } | null } = { current: null };
vi.mock("next-auth", async (original) => ({
  ...(await original<typeof import("next-auth")>()),
  getServerSession: async () => session.current,
}));
vi.mock("next/cache", () => ({ revalidatePath: () => undefined }));

const globalForDb = globalThis as unknown as { __approvalDb?: unknown };
let open: ReturnType<typeof fileDb> | null = null;
afterEach(() => {
  open?.close();
  open = null;
  globalForDb.__approvalDb = undefined;
  session.current = null;
});

const count = (db: ReturnType<typeof fileDb>["db"], table: "decisions" | "audit_events") =>
  db.get<{ n: number }>(sql`SELECT count(*) AS n FROM ${sql.identifier(table)}`)?.n;

describe("a server action with the database locked past the busy timeout", () => {
  it("says the database is busy and records nothing, then acts once the lock is free", async () => {
    open = fileDb();
    const lead = userActor(addUser(open.db, "lead", "Leo Lead"));
    const reviewer = addUser(open.db, "reviewer", "Rita Reviewer");
    registerVersion(open.db, lead, "fraud-detector", {});
    const { request } = requestApproval(open.db, lead, "fraud-detector", 1, {});
    globalForDb.__approvalDb = open.db;
    session.current = { user: { id: reviewer.id } };
    // The app's 5 s wait, shortened: the test only needs the lock held past it.
    open.sqlite.pragma("busy_timeout = 50");
    const auditBefore = count(open.db, "audit_events");
    const holder = open.connect();
    holder.sqlite.exec("BEGIN IMMEDIATE");
    const approve = () => {
      const form = new FormData();
      form.set("requestId", String(request.id));
      form.set("decision", "approve");
      return decideRequestAction(null, form);
    };

    expect(await approve()).toEqual({
      ok: false,
      message: "The database is busy; try again in a second.",
    });
    holder.sqlite.exec("ROLLBACK");
    expect(count(open.db, "decisions")).toBe(0);
    expect(count(open.db, "audit_events")).toBe(auditBefore);

    expect(await approve()).toMatchObject({
      ok: true,
      message: "Approved. The request is now approved.",
    });
    expect(count(open.db, "decisions")).toBe(1);
  });
});
