// The live feed tells open pages which requests changed: at once for changes
// made in this process (new requests included), within about a second for
// changes another process makes to the same database file.
import { afterEach, describe, expect, it } from "vitest";
import { subscribeToRequestChanges, subscriberCount } from "@/lib/live/request-feed";
import type { RequestChange } from "@/lib/live/request-feed";
import { eq } from "drizzle-orm";
import { appendAuditEvent } from "@/db/queries/audit";
import { approvalRequests } from "@/db/schema";
import { requestApproval } from "@/lib/gate/requests";
import { registerVersion } from "@/lib/gate/versions";
import { cast, fileDb, userActor } from "../helpers/test-db";

const cleanups: Array<() => void> = [];
afterEach(() => {
  while (cleanups.length > 0) cleanups.pop()?.();
});

/** Resolves with the first batch that names a request, or rejects after `ms`. */
function nextChange(batches: RequestChange[][], ms: number): Promise<RequestChange[]> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const look = () => {
      const found = batches.find((b) => b.length > 0);
      if (found) resolve(found);
      else if (Date.now() - started > ms) reject(new Error(`no change within ${ms} ms`));
      else setTimeout(look, 20);
    };
    look();
  });
}

function setup() {
  const open = fileDb();
  cleanups.push(open.close);
  const people = cast(open.db);
  const lead = userActor(people.lead);
  const batches: RequestChange[][] = [];
  const stop = subscribeToRequestChanges(open.db, (changes) => batches.push(changes));
  cleanups.push(stop);
  return { ...open, people, lead, batches };
}

describe("the live feed", () => {
  it("names a new request, with its model and version, as soon as it is created", async () => {
    const s = setup();
    registerVersion(s.db, s.lead, "churn", { metrics: [] });
    const { request } = requestApproval(s.db, s.lead, "churn", 1, { environment: "production" });
    const changes = await nextChange(s.batches, 500);
    expect(changes).toEqual([{ id: request.id, model: "churn", version: 1 }]);
  });

  it("names a request another process changes", async () => {
    const s = setup();
    registerVersion(s.db, s.lead, "churn", { metrics: [] });
    const { request } = requestApproval(s.db, s.lead, "churn", 1, { environment: "staging" });
    await nextChange(s.batches, 500);
    s.batches.length = 0;
    // A second connection stands for another server process on the same file;
    // its change is written without this process's event bus hearing of it.
    const other = s.connect();
    other.db.transaction((tx) => {
      tx.update(approvalRequests)
        .set({ status: "cancelled", updatedAt: new Date() })
        .where(eq(approvalRequests.id, request.id))
        .run();
      appendAuditEvent(
        tx,
        {
          actorType: "system",
          actorId: null,
          actorName: "other process",
          action: "request.cancelled",
          subjectType: "request",
          subjectId: request.id,
          modelId: null,
          summary: "cancelled elsewhere",
          details: null,
        },
        new Date(),
      );
    });
    const changes = await nextChange(s.batches, 3_000);
    expect(changes).toContainEqual({ id: request.id, model: "churn", version: 1 });
  });

  it("names an open request whose version another process gave new metrics", async () => {
    const s = setup();
    const v = registerVersion(s.db, s.lead, "churn", { metrics: [] }).version;
    const { request } = requestApproval(s.db, s.lead, "churn", 1, { environment: "staging" });
    await nextChange(s.batches, 500);
    s.batches.length = 0;
    // Only the audit history tells this process: the request's status stays.
    const other = s.connect();
    appendAuditEvent(
      other.db,
      {
        actorType: "system",
        actorId: null,
        actorName: "other process",
        action: "metrics.recorded",
        subjectType: "version",
        subjectId: v.id,
        modelId: null,
        summary: "recorded 1 metrics on churn v1",
        details: null,
      },
      new Date(),
    );
    const changes = await nextChange(s.batches, 3_000);
    expect(changes).toContainEqual({ id: request.id, model: "churn", version: 1 });
  });

  it("stops looking once the last page has gone", () => {
    setup();
    expect(subscriberCount()).toBe(1);
    cleanups.pop()?.();
    expect(subscriberCount()).toBe(0);
  });
});
