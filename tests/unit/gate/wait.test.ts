import { afterEach, describe, expect, it } from "vitest";
import { decideRequest } from "@/lib/gate/decide";
import { waitForGateStatus } from "@/lib/gate/gate-status";
import { requestApproval } from "@/lib/gate/requests";
import { addMetrics, registerVersion } from "@/lib/gate/versions";
import { savePolicy } from "@/lib/gate/policies";
import { cast, memoryDb, tokenActor, userActor, type TestDb } from "../helpers/test-db";

const MODEL = "fraud-detector";

let open: TestDb | undefined;
afterEach(() => {
  open?.close();
  open = undefined;
});

function setup(policy?: string) {
  open = memoryDb();
  const { db } = open;
  const people = cast(db);
  const lead = userActor(people.lead);
  if (policy) savePolicy(db, lead, MODEL, "production", policy);
  registerVersion(db, lead, MODEL, {});
  const pipeline = tokenActor(db).actor;
  const { request } = requestApproval(db, pipeline, MODEL, 1, {});
  return { db, people, pipeline, request };
}

const ref = (waitSeconds: number) => ({
  name: MODEL,
  version: 1,
  environment: "production",
  waitSeconds,
});

describe("waiting on the gate", () => {
  it("answers soon after a reviewer decides in the same process", async () => {
    const { db, people, pipeline, request } = setup();
    const started = Date.now();
    setTimeout(() => {
      decideRequest(db, userActor(people.reviewer), request.id, { decision: "approve" });
    }, 200);
    const status = await waitForGateStatus(db, pipeline, ref(5));
    const took = Date.now() - started;
    expect(status).toMatchObject({
      status: "approved",
      final: true,
      approved_by: ["Rita Reviewer"],
    });
    expect(took).toBeGreaterThanOrEqual(150);
    expect(took).toBeLessThan(1000);
  });

  it("answers soon after late metrics approve the request automatically", async () => {
    const { db, people, pipeline } = setup("required_metrics: [auc]\nauto_approve: [auc >= 0.9]\n");
    const started = Date.now();
    setTimeout(() => {
      addMetrics(db, userActor(people.lead), MODEL, 1, { metrics: [{ name: "auc", value: 0.95 }] });
    }, 100);
    const status = await waitForGateStatus(db, pipeline, ref(5));
    expect(status.status).toBe("approved");
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it("returns the current open status when the wait ends without a decision", async () => {
    const { db, pipeline } = setup();
    const started = Date.now();
    const status = await waitForGateStatus(db, pipeline, ref(1));
    const took = Date.now() - started;
    expect(status).toMatchObject({ status: "pending_review", final: false });
    expect(took).toBeGreaterThanOrEqual(900);
    expect(took).toBeLessThan(2000);
  });

  it("returns at once when the request is already final", async () => {
    const { db, people, pipeline, request } = setup();
    decideRequest(db, userActor(people.reviewer), request.id, {
      decision: "reject",
      comment: "no",
    });
    const started = Date.now();
    const status = await waitForGateStatus(db, pipeline, ref(5));
    expect(status.status).toBe("rejected");
    expect(Date.now() - started).toBeLessThan(500);
  });

  it("returns at once without waiting when asked for 0 seconds", async () => {
    const { db, pipeline } = setup();
    const started = Date.now();
    expect((await waitForGateStatus(db, pipeline, ref(0))).status).toBe("pending_review");
    expect(Date.now() - started).toBeLessThan(500);
  });

  it("stops waiting when the caller goes away", async () => {
    const { db, pipeline } = setup();
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    const started = Date.now();
    const status = await waitForGateStatus(db, pipeline, ref(5), controller.signal);
    expect(status.status).toBe("pending_review");
    expect(Date.now() - started).toBeLessThan(1000);
  });
});
