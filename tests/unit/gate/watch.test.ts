import { afterEach, describe, expect, it } from "vitest";
import { decideRequest } from "@/lib/gate/decide";
import { waitForGateStatus } from "@/lib/gate/gate-status";
import { requestApproval } from "@/lib/gate/requests";
import { registerVersion } from "@/lib/gate/versions";
import { watchedRequestCount } from "@/lib/gate/request-watch";
import { cast, fileDb, userActor } from "../helpers/test-db";

const open: ReturnType<typeof fileDb>[] = [];
afterEach(() => {
  while (open.length > 0) open.pop()?.close();
});

describe("waiting pipelines", () => {
  it("hear about a decision made through another connection within a second", async () => {
    const first = fileDb();
    open.push(first);
    const people = cast(first.db);
    const lead = userActor(people.lead);
    registerVersion(first.db, lead, "m", { metrics: [] });
    const { request } = requestApproval(first.db, lead, "m", 1, {});
    const other = first.connect();

    const started = Date.now();
    const waiting = waitForGateStatus(first.db, lead, {
      name: "m",
      version: 1,
      environment: "production",
      waitSeconds: 10,
    });
    setTimeout(() => {
      decideRequest(other.db, userActor(people.reviewer), request.id, { decision: "approve" });
    }, 100);
    const status = await waiting;
    expect(status.status).toBe("approved");
    expect(Date.now() - started).toBeLessThan(1500);
    expect(watchedRequestCount()).toBe(0);
  });

  it("share one watcher however many wait on the same request", async () => {
    const db = fileDb();
    open.push(db);
    const people = cast(db.db);
    const lead = userActor(people.lead);
    registerVersion(db.db, lead, "m", { metrics: [] });
    const { request } = requestApproval(db.db, lead, "m", 1, {});
    const ref = { name: "m", version: 1, environment: "production", waitSeconds: 10 };
    const waiters = Array.from({ length: 200 }, () => waitForGateStatus(db.db, lead, ref));
    await new Promise((r) => setTimeout(r, 50));
    expect(watchedRequestCount()).toBe(1);
    decideRequest(db.db, userActor(people.reviewer), request.id, { decision: "approve" });
    const answers = await Promise.all(waiters);
    expect(answers.every((a) => a.status === "approved")).toBe(true);
  });
});
