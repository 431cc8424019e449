// The review queue renders while another writer holds the database past the
// busy timeout: the expiry sweep before it is skipped, never a failed page.
// The overdue request still fails closed, and the next view expires it.
import { afterEach, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { approvalRequests } from "@/db/schema";
import { decideRequest } from "@/lib/gate/decide";
import { savePolicy } from "@/lib/gate/policies";
import { requestApproval } from "@/lib/gate/requests";
import { registerVersion } from "@/lib/gate/versions";
import { DEFAULT_FILTERS } from "@/lib/queue/filters";
import { getQueuePage } from "@/lib/views/queue";
import { addUser, fileDb, thrown, tokenActor, userActor } from "../helpers/test-db";

let open: ReturnType<typeof fileDb> | null = null;
afterEach(() => {
  open?.close();
  open = null;
});

function overdueRequest() {
  open = fileDb();
  const lead = addUser(open.db, "lead", "Leo Lead");
  const reviewer = addUser(open.db, "reviewer", "Rita Reviewer");
  const pipeline = tokenActor(open.db).actor;
  savePolicy(open.db, userActor(lead), "m", "production", "expires_after: 1h\n");
  registerVersion(open.db, pipeline, "m", {});
  const { request } = requestApproval(open.db, pipeline, "m", 1, {});
  open.db
    .update(approvalRequests)
    .set({ expiresAt: new Date(Date.now() - 1000) })
    .where(eq(approvalRequests.id, request.id))
    .run();
  return { db: open.db, reviewer, requestId: request.id };
}

const statusOf = (db: ReturnType<typeof fileDb>["db"], id: number) =>
  db.select().from(approvalRequests).where(eq(approvalRequests.id, id)).get()?.status;

describe("the review queue with the database locked past the busy timeout", () => {
  it("renders without expiring first, and the next view expires the overdue request", () => {
    const { db, reviewer, requestId } = overdueRequest();
    open!.sqlite.pragma("busy_timeout = 50");
    const holder = open!.connect();
    holder.sqlite.exec("BEGIN IMMEDIATE");

    const page = getQueuePage(db, reviewer, DEFAULT_FILTERS);
    expect(page.items.map((i) => [i.requestId, i.status])).toEqual([[requestId, "pending_review"]]);
    expect(statusOf(db, requestId)).toBe("pending_review");

    holder.sqlite.exec("ROLLBACK");
    // Fail-closed: a decision on it expires it first and is refused.
    const error = thrown(() =>
      decideRequest(db, userActor(reviewer), requestId, { decision: "approve" }),
    );
    expect(error).toMatchObject({ status: 409, code: "conflict:request_final" });
    expect(statusOf(db, requestId)).toBe("expired");
    expect(getQueuePage(db, reviewer, DEFAULT_FILTERS).items).toEqual([]);
  });

  it("expires the overdue request when the database is free", () => {
    const { db, reviewer, requestId } = overdueRequest();
    expect(getQueuePage(db, reviewer, DEFAULT_FILTERS).items).toEqual([]);
    expect(statusOf(db, requestId)).toBe("expired");
  });
});
