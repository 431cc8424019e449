// A newer version asking for the same environment supersedes older open
// requests: final, with a reason naming the new version, audited, and any
// pipeline waiting on the old request is answered.
import { describe, expect, it } from "vitest";
import { waitForGateStatus } from "@/lib/gate/gate-status";
import { thrown, tokenActor } from "../helpers/test-db";
import { gateWorlds, MODEL } from "../helpers/gate-world";

const newWorld = gateWorlds();

/** v1 asked for production and waiting for review; v2 registered. */
function v1Waiting() {
  const w = newWorld();
  w.register();
  const old = w.ask(1);
  expect(old.status).toBe("pending_review");
  w.register();
  return { ...w, old };
}

describe("a newer version's request", () => {
  it("marks the older open request superseded, with a reason naming the new version", () => {
    const w = v1Waiting();
    const fresh = w.ask(2);
    expect(w.request(w.old.id)).toMatchObject({
      status: "superseded",
      reason: `superseded by v2 (request #${fresh.id})`,
      finalizedAt: expect.any(Date),
    });
  });

  it("makes the old version's gate answer final and superseded", () => {
    const w = v1Waiting();
    w.ask(2);
    expect(w.status(1)).toMatchObject({
      status: "superseded",
      final: true,
      approved_by: [],
      reason: expect.stringContaining("superseded by v2"),
    });
    expect(w.status(2)).toMatchObject({ status: "pending_review", final: false });
  });

  it("records a request.superseded audit event by the system", () => {
    const w = v1Waiting();
    const fresh = w.ask(2);
    const [event] = w.auditEvents("request.superseded");
    expect(event).toMatchObject({
      actorType: "system",
      subjectType: "request",
      subjectId: w.old.id,
      details: { superseded_by: fresh.id },
    });
    expect(event?.summary).toBe(
      `${MODEL} v1 in production: superseded by v2 (request #${fresh.id})`,
    );
  });

  it("supersedes a request still waiting for metrics", () => {
    const w = newWorld();
    w.policy("required_metrics: [auc]\n");
    w.register();
    const old = w.ask(1);
    expect(old.status).toBe("awaiting_metrics");
    w.register();
    w.ask(2);
    expect(w.request(old.id).status).toBe("superseded");
  });

  it("supersedes every older open request, not only the previous version's", () => {
    const w = newWorld();
    w.register();
    w.register();
    const first = w.ask(1);
    // v1 asked before v2 existed as a request: both v1 and v2 are open after this.
    const second = w.ask(2);
    expect(w.request(first.id).status).toBe("superseded");
    w.register();
    w.ask(3);
    expect(w.request(second.id).status).toBe("superseded");
    expect(w.auditEvents("request.superseded")).toHaveLength(2);
  });

  it("leaves an older request for another environment open", () => {
    const w = newWorld();
    w.register();
    const staging = w.ask(1, "staging");
    w.register();
    w.ask(2, "production");
    expect(w.request(staging.id).status).toBe("pending_review");
  });

  it("leaves another model's requests open", () => {
    const w = newWorld();
    w.register({}, w.lead, "churn");
    const other = w.ask(1, "production", w.lead, "churn");
    w.register();
    w.register();
    w.ask(2);
    expect(w.request(other.id).status).toBe("pending_review");
  });

  it("leaves final older requests as they were", () => {
    const w = newWorld();
    w.register();
    w.register();
    const approved = w.ask(1);
    w.approve("reviewer", approved.id);
    const rejected = w.ask(1, "staging");
    w.reject("reviewer", rejected.id);
    w.ask(2);
    w.ask(2, "staging");
    expect(w.request(approved.id).status).toBe("approved");
    expect(w.request(rejected.id).status).toBe("rejected");
    expect(w.auditEvents("request.superseded")).toEqual([]);
  });

  it("refuses an older version asking after a newer one, with 409 naming the newer", () => {
    const w = newWorld();
    w.register();
    w.register();
    const newer = w.ask(2);
    const error = thrown(() => w.ask(1));
    expect(error).toMatchObject({ status: 409, code: "conflict:newer_version_waiting" });
    expect(error.message).toContain("v2 of fraud-detector is newer and already waiting");
    expect(w.request(newer.id).status).toBe("pending_review");
  });

  it("supersedes nothing when the newer version is rejected by the policy at once", () => {
    const w = newWorld();
    w.policy("auto_reject: [auc < 0.5]\n");
    w.register({ auc: 0.9 });
    const old = w.ask(1);
    w.register({ auc: 0.1 });
    expect(w.ask(2).status).toBe("rejected");
    expect(w.request(old.id).status).toBe("pending_review");
  });
});

describe("a superseded request", () => {
  it("refuses a late decision with 409 conflict:request_final", () => {
    const w = v1Waiting();
    w.ask(2);
    const error = thrown(() => w.approve("reviewer", w.old.id));
    expect(error).toMatchObject({ status: 409, code: "conflict:request_final" });
    expect(error.message).toContain("already superseded");
    expect(w.decisions(w.old.id)).toEqual([]);
  });

  it("never lets the old version be deployed", () => {
    const w = v1Waiting();
    w.ask(2);
    const error = thrown(() => w.deploy(1));
    expect(error).toMatchObject({ status: 409, code: "conflict:not_approved" });
    expect(error.message).toContain(`its request #${w.old.id} is superseded`);
  });

  it("cannot be asked again while the newer version waits", () => {
    const w = v1Waiting();
    w.ask(2);
    expect(thrown(() => w.ask(1))).toMatchObject({ status: 409 });
  });

  it("answers a pipeline waiting on the old request promptly", async () => {
    const w = v1Waiting();
    const pipeline = tokenActor(w.db).actor;
    const started = Date.now();
    setTimeout(() => w.ask(2), 100);
    const status = await waitForGateStatus(w.db, pipeline, {
      name: MODEL,
      version: 1,
      environment: "production",
      waitSeconds: 10,
    });
    const took = Date.now() - started;
    expect(status).toMatchObject({
      request_id: w.old.id,
      status: "superseded",
      final: true,
      reason: expect.stringContaining("superseded by v2"),
    });
    expect(took).toBeGreaterThanOrEqual(90);
    // Woken by the change, not by the one-second re-read.
    expect(took).toBeLessThan(900);
  });
});
