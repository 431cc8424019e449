// When a metric the policy requires changes after approval, the approval was
// given for other numbers: it is dismissed, the request goes back to review
// (or through the automatic rules again) and the approver may decide again.
import { describe, expect, it, vi } from "vitest";
import { addMetrics } from "@/lib/gate/versions";
import { thrown } from "../helpers/test-db";
import { gateWorlds, MODEL } from "../helpers/gate-world";

const newWorld = gateWorlds();

const REVIEWED = "required_metrics: [auc]\napprovals:\n  - approvers: [role:reviewer]\n";

/** v1 with auc 0.9, approved by Rita under a policy that requires auc. */
function approvedByRita(policy = REVIEWED) {
  const w = newWorld();
  w.policy(policy);
  w.register({ auc: 0.9, accuracy: 0.8 });
  const request = w.ask(1);
  expect(request.status).toBe("pending_review");
  w.approve("reviewer", request.id);
  expect(w.request(request.id).status).toBe("approved");
  return { ...w, req: request };
}

describe("a required metric changing after a person approved", () => {
  it("sends the request back to review, saying which metric changed", () => {
    const w = approvedByRita();
    w.addMetrics(1, { auc: 0.85 });
    expect(w.request(w.req.id)).toMatchObject({ status: "pending_review", finalizedAt: null });
    expect(w.status(1)).toMatchObject({
      status: "pending_review",
      final: false,
      approved_by: [],
      reason: "approval dismissed: metrics changed (auc 0.9 → 0.85); waiting for review",
    });
  });

  it("marks the approval dismissed without deleting it", () => {
    const w = approvedByRita();
    const at = new Date("2031-05-01T10:00:00Z");
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(at);
    w.addMetrics(1, { auc: 0.85 });
    const decisions = w.decisions(w.req.id);
    expect(decisions).toHaveLength(1);
    expect(decisions[0]).toMatchObject({
      userId: w.people.reviewer.id,
      decision: "approve",
      dismissedAt: at,
    });
  });

  it("no longer counts the dismissed approval towards the quorum", () => {
    const w = approvedByRita();
    w.addMetrics(1, { auc: 0.85 });
    expect(w.status(1).required_approvals).toEqual([
      { rule: "rule 1", approvers: ["role:reviewer"], count: 1, approvals: 0 },
    ]);
  });

  it("records request.approval_dismissed with the old and new values", () => {
    const w = approvedByRita();
    w.addMetrics(1, { auc: 0.85 });
    const [event] = w.auditEvents("request.approval_dismissed");
    expect(event).toMatchObject({
      actorType: "system",
      subjectType: "request",
      subjectId: w.req.id,
      details: { changed: { auc: [0.9, 0.85] } },
      summary: `${MODEL} v1: approval dismissed: metrics changed (auc 0.9 → 0.85)`,
    });
    expect(w.auditActions().slice(-2)).toEqual(["metrics.recorded", "request.approval_dismissed"]);
  });

  it("lets the same approver approve again", () => {
    const w = approvedByRita();
    w.addMetrics(1, { auc: 0.85 });
    const again = w.approve("reviewer", w.req.id);
    expect(again.request.status).toBe("approved");
    expect(w.status(1)).toMatchObject({ status: "approved", approved_by: ["Rita Reviewer"] });
    const decisions = w.decisions(w.req.id);
    expect(decisions.map((d) => [d.userId, d.dismissedAt === null])).toEqual([
      [w.people.reviewer.id, false],
      [w.people.reviewer.id, true],
    ]);
  });

  it("lets the approver reject instead, with a comment", () => {
    const w = approvedByRita();
    w.addMetrics(1, { auc: 0.6 });
    w.reject("reviewer", w.req.id, "auc fell to 0.6");
    expect(w.status(1)).toMatchObject({
      status: "rejected",
      reason: "rejected by Rita Reviewer: auc fell to 0.6",
    });
  });

  it("refuses a deployment until someone approves again", () => {
    const w = approvedByRita();
    w.addMetrics(1, { auc: 0.85 });
    const error = thrown(() => w.deploy(1));
    expect(error).toMatchObject({ status: 409, code: "conflict:not_approved" });
    expect(error.message).toContain("pending_review");
    w.approve("reviewer2", w.req.id);
    expect(w.deploy(1).requestId).toBe(w.req.id);
  });

  it("dismisses when a held-out split brings a new value of the metric", () => {
    const w = approvedByRita();
    addMetrics(w.db, w.lead, MODEL, 1, { metrics: [{ name: "auc", value: 0.82, split: "test" }] });
    expect(w.status(1)).toMatchObject({
      status: "pending_review",
      reason: "approval dismissed: metrics changed (auc 0.9 → 0.82); waiting for review",
    });
  });
});

describe("a metric change that does not dismiss", () => {
  it("keeps the approval when a metric the policy does not look at changes", () => {
    const w = approvedByRita();
    w.addMetrics(1, { accuracy: 0.5 });
    expect(w.request(w.req.id).status).toBe("approved");
    expect(w.decisions(w.req.id)[0]?.dismissedAt).toBeNull();
    expect(w.auditEvents("request.approval_dismissed")).toEqual([]);
  });

  it("keeps the approval when the required metric is sent again with the same value", () => {
    const w = approvedByRita();
    w.addMetrics(1, { auc: 0.9 });
    expect(w.request(w.req.id).status).toBe("approved");
    expect(w.auditEvents("request.approval_dismissed")).toEqual([]);
  });

  it("keeps the approval when only a training-split value of the metric arrives", () => {
    const w = approvedByRita();
    addMetrics(w.db, w.lead, MODEL, 1, { metrics: [{ name: "auc", value: 0.99, split: "train" }] });
    expect(w.request(w.req.id).status).toBe("approved");
  });

  it("leaves a rejected request rejected", () => {
    const w = newWorld();
    w.policy(REVIEWED);
    w.register({ auc: 0.9 });
    const request = w.ask(1);
    w.reject("reviewer", request.id, "no");
    w.addMetrics(1, { auc: 0.95 });
    expect(w.request(request.id).status).toBe("rejected");
    expect(w.decisions(request.id)[0]?.dismissedAt).toBeNull();
  });

  it("leaves another version's approval alone", () => {
    const w = approvedByRita();
    w.register({ auc: 0.7 });
    w.addMetrics(2, { auc: 0.8 });
    expect(w.request(w.req.id).status).toBe("approved");
  });
});

describe("a required metric changing after an automatic approval", () => {
  const AUTO = "required_metrics: [auc]\nauto_approve: [auc >= 0.9]\nauto_reject: [auc < 0.5]\n";

  function autoApproved() {
    const w = newWorld();
    w.policy(AUTO);
    w.register({ auc: 0.95 });
    const request = w.ask(1);
    expect(request.status).toBe("approved");
    return { ...w, req: request };
  }

  it("re-judges by the automatic rules and approves again on the new values", () => {
    const w = autoApproved();
    w.addMetrics(1, { auc: 0.97 });
    expect(w.request(w.req.id).status).toBe("approved");
    const decisions = w.decisions(w.req.id);
    expect(decisions).toHaveLength(2);
    expect(decisions[0]).toMatchObject({ userId: null, dismissedAt: expect.any(Date) });
    expect(decisions[1]).toMatchObject({ userId: null, decision: "approve", dismissedAt: null });
    expect(decisions[1]?.evidence).toMatchObject({ policy_revision: 1, values: { auc: 0.97 } });
    expect(w.status(1).approved_by).toEqual(["policy r1"]);
  });

  it("rejects when the new value breaks a hard floor", () => {
    const w = autoApproved();
    w.addMetrics(1, { auc: 0.3 });
    expect(w.request(w.req.id).status).toBe("rejected");
    expect(w.status(1).reason).toBe(
      "approval dismissed: metrics changed (auc 0.95 → 0.3); " +
        "rejected by policy: auc < 0.5 (was 0.3)",
    );
  });

  it("sends to review when the new value no longer meets the threshold", () => {
    const w = autoApproved();
    w.addMetrics(1, { auc: 0.8 });
    expect(w.status(1)).toMatchObject({
      status: "pending_review",
      reason:
        "approval dismissed: metrics changed (auc 0.95 → 0.8); " +
        "waiting for review (auto-approval not met: auc >= 0.9 (was 0.8))",
    });
    expect(w.auditActions().slice(-3)).toEqual([
      "metrics.recorded",
      "request.approval_dismissed",
      "request.pending_review",
    ]);
  });
});

describe("a metric changing while people are still reviewing", () => {
  const TWO = "required_metrics: [auc]\napprovals:\n  - approvers: [role:reviewer]\n    count: 2\n";

  it("dismisses an approval given so far, so it no longer counts", () => {
    const w = newWorld();
    w.policy(TWO);
    w.register({ auc: 0.9 });
    const request = w.ask(1);
    w.approve("reviewer", request.id);
    w.addMetrics(1, { auc: 0.7 });
    expect(w.status(1)).toMatchObject({
      status: "pending_review",
      reason: "decisions so far dismissed: metrics changed (auc 0.9 → 0.7); waiting for review",
    });
    expect(w.status(1).required_approvals[0]).toMatchObject({ count: 2, approvals: 0 });
    expect(w.decisions(request.id)[0]?.dismissedAt).toBeInstanceOf(Date);
  });

  it("needs two approvals on the new numbers, and lets the first approver approve again", () => {
    const w = newWorld();
    w.policy(TWO);
    w.register({ auc: 0.9 });
    const request = w.ask(1);
    w.approve("reviewer", request.id);
    w.addMetrics(1, { auc: 0.7 });
    expect(w.approve("reviewer2", request.id).request.status).toBe("pending_review");
    expect(w.approve("reviewer", request.id).request.status).toBe("approved");
    expect(w.status(1).approved_by).toEqual(["Rob Reviewer", "Rita Reviewer"]);
  });

  it("dismisses an approval when a metric of an auto-approve threshold changes", () => {
    const w = newWorld();
    w.policy("auto_approve: [auc >= 0.99]\n");
    w.register({ auc: 0.95 });
    const request = w.ask(1);
    w.approve("reviewer", request.id);
    w.addMetrics(1, { auc: 0.5 });
    expect(w.request(request.id).status).toBe("pending_review");
    expect(w.auditEvents("request.approval_dismissed")[0]?.details).toEqual({
      changed: { auc: [0.95, 0.5] },
    });
  });
});
