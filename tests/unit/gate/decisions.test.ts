// How decisions add up under a policy: distinct people, rejects from eligible
// approvers, automatic decisions with their evidence, missing metrics, and
// expiry that fails closed.
import { describe, expect, it, vi } from "vitest";
import { waitForGateStatus } from "@/lib/gate/gate-status";
import { registerVersion } from "@/lib/gate/versions";
import { thrown, tokenActor } from "../helpers/test-db";
import { gateWorlds, MODEL } from "../helpers/gate-world";

const newWorld = gateWorlds();

const TWO_REVIEWERS =
  "approvals:\n  - name: review\n    approvers: [role:reviewer]\n    count: 2\n";

describe("one person counts once", () => {
  it("however many of a rule's approver entries name them", () => {
    const w = newWorld();
    const rita = w.people.reviewer.email;
    w.policy(
      `approvals:\n  - approvers: [role:reviewer, ${rita}, ${rita.toUpperCase()}]\n    count: 2\n`,
    );
    w.register();
    const request = w.ask(1);
    w.approve("reviewer", request.id);
    expect(w.status(1)).toMatchObject({
      status: "pending_review",
      required_approvals: [{ count: 2, approvals: 1 }],
    });
  });

  it("and cannot approve a second time, through a session or a token", () => {
    const w = newWorld();
    w.policy(TWO_REVIEWERS);
    w.register();
    const request = w.ask(1);
    w.approve("reviewer", request.id);
    const token = tokenActor(w.db, { scopes: ["decide"], owner: w.people.reviewer }).actor;
    expect(thrown(() => w.approve(token, request.id))).toMatchObject({
      status: 409,
      code: "conflict:already_decided",
    });
    expect(w.decisions(request.id)).toHaveLength(1);
  });
});

describe("a reject from an eligible approver", () => {
  it("rejects the request even after another approval", () => {
    const w = newWorld();
    w.policy(TWO_REVIEWERS);
    w.register();
    const request = w.ask(1);
    w.approve("reviewer", request.id);
    const result = w.reject("reviewer2", request.id, "precision dropped on the holdout");
    expect(result.request.status).toBe("rejected");
    expect(w.status(1)).toMatchObject({
      status: "rejected",
      final: true,
      approved_by: [],
      reason: "rejected by Rob Reviewer: precision dropped on the holdout",
      on_reject: "fail_pipeline",
    });
  });

  it("rejects under any one of several rules", () => {
    const w = newWorld();
    w.policy(
      "approvals:\n  - approvers: [role:reviewer]\n  - approvers: [role:lead]\n" +
        "on_reject: continue\n",
    );
    w.register({}, tokenActor(w.db).actor);
    const request = w.ask(1, "production", tokenActor(w.db).actor);
    w.reject("reviewer", request.id, "no");
    expect(w.status(1)).toMatchObject({ status: "rejected", on_reject: "continue" });
  });

  it("is refused after the request was approved, with 409", () => {
    const w = newWorld();
    w.register();
    const request = w.ask(1);
    w.approve("reviewer", request.id);
    expect(thrown(() => w.reject("reviewer2", request.id))).toMatchObject({
      status: 409,
      code: "conflict:request_final",
    });
    expect(w.status(1).status).toBe("approved");
  });

  it("is refused from someone the policy does not name, leaving the request open", () => {
    const w = newWorld();
    w.policy("approvals:\n  - approvers: [role:lead]\n");
    w.register({}, w.as("admin"));
    const request = w.ask(1, "production", w.as("admin"));
    expect(thrown(() => w.reject("reviewer", request.id))).toMatchObject({
      status: 403,
      code: "forbidden:not_eligible",
    });
    expect(w.request(request.id).status).toBe("pending_review");
  });
});

describe("automatic decisions", () => {
  const RULES = `
required_metrics: [auc, latency_p95_ms]
auto_approve: [auc >= 0.9]
auto_reject: [latency_p95_ms > 500]
`;

  it("record an automatic approval by the policy with its revision, values and checks", () => {
    const w = newWorld();
    w.policy("auto_approve: [auc >= 0.99]\n");
    w.policy(RULES);
    w.register({ auc: 0.93, latency_p95_ms: 120, accuracy: 0.8 });
    const request = w.ask(1);
    expect(request.status).toBe("approved");
    const [decision] = w.decisions(request.id);
    expect(decision).toMatchObject({
      userId: null,
      decision: "approve",
      comment: "approved by policy: auc >= 0.9 (was 0.93)",
      dismissedAt: null,
    });
    expect(decision?.evidence).toEqual({
      policy_id: request.policyId,
      policy_revision: 2,
      values: { auc: 0.93, latency_p95_ms: 120, accuracy: 0.8 },
      checks: [
        { condition: "auc >= 0.9", actual: 0.93, holds: true },
        { condition: "latency_p95_ms > 500", actual: 120, holds: false },
      ],
    });
  });

  it("record an automatic rejection the same way, and the gate shows it", () => {
    const w = newWorld();
    w.policy(RULES);
    w.register({ auc: 0.99, latency_p95_ms: 900 });
    const request = w.ask(1);
    expect(request.status).toBe("rejected");
    expect(w.status(1)).toMatchObject({
      status: "rejected",
      policy_revision: 1,
      reason: "rejected by policy: latency_p95_ms > 500 (was 900)",
      decisions: [
        {
          by: "policy",
          automatic: true,
          decision: "reject",
          evidence: {
            policy_revision: 1,
            values: { auc: 0.99, latency_p95_ms: 900 },
            checks: [
              { condition: "auc >= 0.9", actual: 0.99, holds: true },
              { condition: "latency_p95_ms > 500", actual: 900, holds: true },
            ],
          },
        },
      ],
    });
  });

  it("put the same evidence in the audit event, by the policy revision", () => {
    const w = newWorld();
    w.policy(RULES);
    w.register({ auc: 0.99, latency_p95_ms: 900 });
    const request = w.ask(1);
    const [event] = w.auditEvents("request.rejected");
    expect(event).toMatchObject({ actorType: "policy", actorName: "policy r1" });
    expect(event?.details).toEqual(w.decisions(request.id)[0]?.evidence);
  });

  it("record no decision when the policy sends the version to people", () => {
    const w = newWorld();
    w.policy(RULES);
    w.register({ auc: 0.8, latency_p95_ms: 100 });
    const request = w.ask(1);
    expect(request.status).toBe("pending_review");
    expect(w.decisions(request.id)).toEqual([]);
  });
});

describe("a missing metric never satisfies a condition", () => {
  it("does not approve automatically when a threshold's metric was never sent", () => {
    const w = newWorld();
    w.policy("auto_approve: [auc >= 0.9]\n");
    w.register({ accuracy: 0.99 });
    expect(w.ask(1).status).toBe("pending_review");
    expect(w.status(1).reason).toBe(
      "waiting for review (auto-approval not met: auc >= 0.9 (was missing))",
    );
  });

  it("does not reject automatically on a floor whose metric is missing, nor approve past it", () => {
    const w = newWorld();
    w.policy("auto_approve: [auc >= 0.9]\nauto_reject: [latency_p95_ms > 500]\n");
    w.register({ auc: 0.99 });
    expect(w.ask(1).status).toBe("pending_review");
    expect(w.status(1).reason).toBe(
      "waiting for review (floor not checked: latency_p95_ms > 500 (was missing))",
    );
  });

  it.each([
    ["NaN", Number.NaN],
    ["Infinity", Number.POSITIVE_INFINITY],
    ["null", null],
    ["a string", "0.99"],
  ])("cannot be faked with %s: the metric is refused with 400", (_label, value) => {
    const w = newWorld();
    const error = thrown(() =>
      registerVersion(w.db, w.lead, MODEL, { metrics: [{ name: "auc", value }] }),
    );
    expect(error).toMatchObject({ status: 400, code: "bad_request:validation" });
    expect(error.errors[0]).toMatchObject({ field: "metrics.0.value" });
    expect(error.errors[0].message).toContain("must be a finite number");
  });
});

describe("expiry fails closed", () => {
  function expiringRequest(policy: string) {
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(new Date("2030-01-01T12:00:00Z"));
    const w = newWorld();
    w.policy(policy);
    w.register();
    const request = w.ask(1);
    vi.setSystemTime(new Date("2030-01-04T12:00:00Z"));
    return { ...w, req: request };
  }

  it("expires after the policy's expires_after and refuses a late decision with 409", () => {
    const w = expiringRequest("expires_after: 72h\n");
    expect(w.req.expiresAt?.toISOString()).toBe("2030-01-04T12:00:00.000Z");
    const error = thrown(() => w.approve("reviewer", w.req.id));
    expect(error).toMatchObject({ status: 409, code: "conflict:request_final" });
    expect(error.message).toBe(
      `Request #${w.req.id} is already expired; decisions after a final state are refused. ` +
        "Ask again with a new request.",
    );
    expect(w.status(1)).toMatchObject({ status: "expired", final: true });
  });

  it("never lets an expired request through to a deployment", () => {
    const w = expiringRequest("expires_after: 72h\n");
    expect(thrown(() => w.deploy(1))).toMatchObject({ status: 409, code: "conflict:not_approved" });
  });

  it("does not approve an expired request when its metrics arrive late", () => {
    const w = expiringRequest(
      "required_metrics: [auc]\nauto_approve: [auc >= 0.9]\nexpires_after: 1h\n",
    );
    expect(w.req.status).toBe("awaiting_metrics");
    w.addMetrics(1, { auc: 0.99 });
    expect(w.request(w.req.id).status).toBe("expired");
    expect(w.decisions(w.req.id)).toEqual([]);
    expect(thrown(() => w.deploy(1)).status).toBe(409);
  });

  it("answers a pipeline that was waiting when the deadline passed with expired", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(new Date("2030-01-01T12:00:00Z"));
    const w = newWorld();
    w.policy("expires_after: 1h\n");
    w.register();
    w.ask(1);
    setTimeout(() => vi.setSystemTime(new Date("2030-01-01T13:00:00Z")), 50);
    const started = performance.now();
    const status = await waitForGateStatus(w.db, tokenActor(w.db).actor, {
      name: MODEL,
      version: 1,
      environment: "production",
      waitSeconds: 30,
    });
    expect(status).toMatchObject({ status: "expired", final: true });
    // Noticed on the next re-read of the database, not at the end of the wait.
    expect(performance.now() - started).toBeLessThan(2500);
  });
});

describe("expiry fails closed when metrics change late", () => {
  const AUTO_1H = "auto_approve: [auc >= 0.9]\nexpires_after: 1h\n";

  it("expires an overdue request under review instead of approving it on new metrics", () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(new Date("2030-01-01T12:00:00Z"));
    const w = newWorld();
    w.policy(AUTO_1H);
    w.register({ auc: 0.8 });
    const request = w.ask(1);
    expect(request.status).toBe("pending_review");
    vi.setSystemTime(new Date("2030-01-01T14:00:00Z"));
    w.addMetrics(1, { auc: 0.95 });
    expect(w.request(request.id).status).toBe("expired");
    expect(w.decisions(request.id)).toEqual([]);
    expect(thrown(() => w.deploy(1))).toMatchObject({ status: 409, code: "conflict:not_approved" });
  });

  it("expires an approval dismissed after the deadline instead of approving it again", () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(new Date("2030-01-01T12:00:00Z"));
    const w = newWorld();
    w.policy(AUTO_1H);
    w.register({ auc: 0.92 });
    const request = w.ask(1);
    expect(request.status).toBe("approved");
    vi.setSystemTime(new Date("2030-01-01T14:00:00Z"));
    w.addMetrics(1, { auc: 0.95 });
    expect(w.request(request.id).status).toBe("expired");
    expect(w.decisions(request.id).filter((d) => d.dismissedAt === null)).toEqual([]);
    expect(thrown(() => w.deploy(1)).status).toBe(409);
  });
});
