import { afterEach, describe, expect, it, vi } from "vitest";
import { sql } from "drizzle-orm";
import { GENESIS_HASH, hashAuditEvent, listAuditEvents } from "@/db/queries/audit";
import { getCurrentDeployment } from "@/db/queries/deployments";
import { listDecisionsOfRequest } from "@/db/queries/decisions";
import { getEnvironmentByName } from "@/db/queries/environments";
import { getModelByName } from "@/db/queries/models";
import { getRequestById } from "@/db/queries/requests";
import { approvalRequests, auditEvents, deployments, users } from "@/db/schema";
import { AppError } from "@/lib/errors";
import { decideRequest } from "@/lib/gate/decide";
import { recordDeployment } from "@/lib/gate/deployments";
import { readGateStatus } from "@/lib/gate/gate-status";
import { savePolicy } from "@/lib/gate/policies";
import { requestApproval } from "@/lib/gate/requests";
import { addMetrics, registerVersion } from "@/lib/gate/versions";
import { eq } from "drizzle-orm";
import {
  addUser,
  cast,
  memoryDb,
  thrown,
  tokenActor,
  userActor,
  type TestDb,
} from "../helpers/test-db";

const MODEL = "fraud-detector";

let open: TestDb | undefined;
afterEach(() => {
  vi.useRealTimers();
  open?.close();
  open = undefined;
});

/** A database with one of each role and version 1 of the model registered by the lead. */
function setup(
  options: {
    policy?: string;
    environment?: string;
    metrics?: { name: string; value: number }[];
  } = {},
) {
  open = memoryDb();
  const { db } = open;
  const people = cast(db);
  const lead = userActor(people.lead);
  if (options.policy !== undefined) {
    savePolicy(db, lead, MODEL, options.environment ?? "production", options.policy);
  }
  registerVersion(db, lead, MODEL, { metrics: options.metrics ?? [] });
  const as = (who: keyof typeof people) => userActor(people[who]);
  const status = (env = "production") => readGateStatus(db, as("viewer"), MODEL, 1, env);
  return { db, sqlite: open.sqlite, people, lead, as, status };
}

function ask(s: ReturnType<typeof setup>, environment = "production") {
  return requestApproval(s.db, s.lead, MODEL, 1, { environment }).request;
}

const REQUIRES_AUC = `
required_metrics: [auc]
auto_approve: [auc >= 0.9]
auto_reject: [auc < 0.5]
approvals:
  - approvers: [role:reviewer]
`;

describe("asking for approval", () => {
  it("waits for review when no policy exists", () => {
    const s = setup();
    const request = ask(s);
    expect(request.status).toBe("pending_review");
    expect(request.policyId).toBeNull();
    expect(s.status()).toMatchObject({
      status: "pending_review",
      final: false,
      reason: "waiting for review",
      policy_revision: null,
      model: MODEL,
      version: 1,
      environment: "production",
      approved_by: [],
    });
  });

  it("waits for a required metric that is missing, and the gate names it", () => {
    const s = setup({ policy: REQUIRES_AUC });
    expect(ask(s).status).toBe("awaiting_metrics");
    expect(s.status()).toMatchObject({
      status: "awaiting_metrics",
      final: false,
      missing_metrics: ["auc"],
      reason: "waiting for required metrics: auc",
      policy_revision: 1,
    });
  });

  it("approves automatically once the missing metric arrives above the threshold", () => {
    const s = setup({ policy: REQUIRES_AUC });
    const request = ask(s);
    addMetrics(s.db, s.lead, MODEL, 1, { metrics: [{ name: "auc", value: 0.93 }] });
    const gate = s.status();
    expect(gate).toMatchObject({
      status: "approved",
      final: true,
      missing_metrics: [],
      approved_by: ["policy r1"],
    });
    expect(getRequestById(s.db, request.id)?.finalizedAt).toBeInstanceOf(Date);
  });

  it("records the automatic decision with the revision and the values it saw", () => {
    const s = setup({ policy: REQUIRES_AUC });
    const request = ask(s);
    addMetrics(s.db, s.lead, MODEL, 1, { metrics: [{ name: "auc", value: 0.93 }] });
    const decisions = listDecisionsOfRequest(s.db, request.id);
    expect(decisions).toHaveLength(1);
    expect(decisions[0]).toMatchObject({ userId: null, decision: "approve" });
    expect(decisions[0]?.evidence).toMatchObject({
      policy_revision: 1,
      values: { auc: 0.93 },
      checks: expect.arrayContaining([{ condition: "auc >= 0.9", actual: 0.93, holds: true }]),
    });
    expect(s.status().decisions[0]).toMatchObject({
      by: "policy",
      automatic: true,
      decision: "approve",
    });
  });

  it("moves to review once the missing metric arrives below the threshold", () => {
    const s = setup({ policy: REQUIRES_AUC });
    ask(s);
    addMetrics(s.db, s.lead, MODEL, 1, { metrics: [{ name: "auc", value: 0.8 }] });
    expect(s.status()).toMatchObject({
      status: "pending_review",
      final: false,
      missing_metrics: [],
      reason: "waiting for review (auto-approval not met: auc >= 0.9 (was 0.8))",
    });
  });

  it("rejects automatically when a hard floor is broken, telling the pipeline to fail", () => {
    const s = setup({ policy: REQUIRES_AUC, metrics: [{ name: "auc", value: 0.3 }] });
    expect(ask(s).status).toBe("rejected");
    expect(s.status()).toMatchObject({
      status: "rejected",
      final: true,
      on_reject: "fail_pipeline",
    });
  });

  it("judges at request time when the metrics are already there", () => {
    const s = setup({ policy: REQUIRES_AUC, metrics: [{ name: "auc", value: 0.95 }] });
    expect(ask(s).status).toBe("approved");
  });

  it("applies a policy only to the environment it was saved for", () => {
    const s = setup({
      policy: "auto_approve: [auc >= 0.9]\n",
      environment: "staging",
      metrics: [{ name: "auc", value: 0.95 }],
    });
    expect(ask(s, "staging").status).toBe("approved");
    expect(ask(s, "production").status).toBe("pending_review");
  });

  it("keeps judging a request by the revision it was created under", () => {
    const s = setup({ policy: REQUIRES_AUC });
    const request = ask(s);
    savePolicy(
      s.db,
      s.lead,
      MODEL,
      "production",
      "required_metrics: [auc]\nauto_approve: [auc >= 0.99]\n",
    );
    addMetrics(s.db, s.lead, MODEL, 1, { metrics: [{ name: "auc", value: 0.93 }] });
    expect(getRequestById(s.db, request.id)?.status).toBe("approved");
    expect(s.status().policy_revision).toBe(1);
  });

  it("returns the open request instead of making a second one", () => {
    const s = setup();
    const first = requestApproval(s.db, s.lead, MODEL, 1, {});
    const second = requestApproval(s.db, s.lead, MODEL, 1, {});
    expect(second.created).toBe(false);
    expect(second.request.id).toBe(first.request.id);
  });

  it("makes a new request after a rejection", () => {
    const s = setup();
    const first = ask(s);
    decideRequest(s.db, s.as("reviewer"), first.id, {
      decision: "reject",
      comment: "needs more data",
    });
    const again = requestApproval(s.db, s.lead, MODEL, 1, {});
    expect(again.created).toBe(true);
    expect(again.request.id).not.toBe(first.id);
    expect(s.status().status).toBe("pending_review");
  });

  it("answers 404 naming the environment when it does not exist", () => {
    const s = setup();
    const error = thrown(() => requestApproval(s.db, s.lead, MODEL, 1, { environment: "moon" }));
    expect(error).toMatchObject({ status: 404, code: "not_found:environment" });
    expect(error.message).toContain("moon");
  });

  it("answers 404 from the gate when nothing was requested yet", () => {
    const s = setup();
    const error = thrown(() => s.status());
    expect(error).toMatchObject({ status: 404, code: "not_found:request" });
  });

  it("refuses a viewer asking for approval with 403", () => {
    const s = setup();
    const error = thrown(() => requestApproval(s.db, s.as("viewer"), MODEL, 1, {}));
    expect(error).toMatchObject({ status: 403, code: "forbidden:requests_create" });
  });

  it("refuses an invalid policy with a client error listing the field and line", () => {
    const s = setup();
    const error = thrown(() =>
      savePolicy(s.db, s.lead, MODEL, "production", "approvals:\n  - approvers: bob\n"),
    );
    expect(error).toBeInstanceOf(AppError);
    expect(error.status).toBe(400);
    expect(error.code).toBe("bad_request:policy");
    expect(error.message).toContain("line 2");
    expect(error.errors[0]).toMatchObject({ field: "approvals.0.approvers", line: 2 });
  });

  it("refuses a reviewer saving a policy with 403", () => {
    const s = setup();
    const error = thrown(() => savePolicy(s.db, s.as("reviewer"), MODEL, "production", ""));
    expect(error).toMatchObject({ status: 403, code: "forbidden:policies_write" });
  });
});

describe("people deciding", () => {
  it("approves on a reviewer's approval and names the reviewer", () => {
    const s = setup();
    const request = ask(s);
    const result = decideRequest(s.db, s.as("reviewer"), request.id, { decision: "approve" });
    expect(result.request.status).toBe("approved");
    const gate = s.status();
    expect(gate.status).toBe("approved");
    expect(gate.approved_by).toContain("Rita Reviewer");
    expect(gate.reason).toBe("approved by Rita Reviewer");
  });

  it("refuses a rejection without a comment, naming the comment field", () => {
    const s = setup();
    const request = ask(s);
    const error = thrown(() =>
      decideRequest(s.db, s.as("reviewer"), request.id, { decision: "reject" }),
    );
    expect(error).toMatchObject({ status: 400, code: "bad_request:validation" });
    expect(error.errors[0]).toMatchObject({ field: "comment" });
    expect(error.message).toContain("comment");
    expect(s.status().status).toBe("pending_review");
  });

  it("refuses a rejection whose comment is only spaces", () => {
    const s = setup();
    const request = ask(s);
    const error = thrown(() =>
      decideRequest(s.db, s.as("reviewer"), request.id, { decision: "reject", comment: "   " }),
    );
    expect(error.errors[0]).toMatchObject({ field: "comment" });
  });

  it("refuses a decision that is neither approve nor reject", () => {
    const s = setup();
    const request = ask(s);
    const error = thrown(() =>
      decideRequest(s.db, s.as("reviewer"), request.id, { decision: "maybe" }),
    );
    expect(error.errors[0]).toMatchObject({ field: "decision" });
  });

  it("rejects with a comment, keeping the comment as the reason", () => {
    const s = setup();
    const request = ask(s);
    decideRequest(s.db, s.as("reviewer"), request.id, {
      decision: "reject",
      comment: "recall too low",
    });
    expect(s.status()).toMatchObject({
      status: "rejected",
      final: true,
      reason: "rejected by Rita Reviewer: recall too low",
      approved_by: [],
    });
    expect(s.status().decisions[0]).toMatchObject({
      by: "Rita Reviewer",
      comment: "recall too low",
    });
  });

  it("refuses a decision after a final state with 409 conflict:request_final", () => {
    const s = setup();
    const request = ask(s);
    decideRequest(s.db, s.as("reviewer"), request.id, { decision: "approve" });
    const error = thrown(() =>
      decideRequest(s.db, s.as("reviewer2"), request.id, {
        decision: "reject",
        comment: "too late",
      }),
    );
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({ status: 409, code: "conflict:request_final" });
    expect(error.message).toContain("already approved");
    expect(s.status().status).toBe("approved");
  });

  it("refuses the same person deciding twice with 409", () => {
    const s = setup({ policy: "approvals:\n  - approvers: [role:reviewer]\n    count: 2\n" });
    const request = ask(s);
    decideRequest(s.db, s.as("reviewer"), request.id, { decision: "approve" });
    const error = thrown(() =>
      decideRequest(s.db, s.as("reviewer"), request.id, { decision: "approve" }),
    );
    expect(error).toMatchObject({ status: 409, code: "conflict:already_decided" });
    expect(s.status()).toMatchObject({ status: "pending_review" });
    expect(s.status().required_approvals[0]).toMatchObject({ count: 2, approvals: 1 });
  });

  it("approves after two distinct people when the policy needs two", () => {
    const s = setup({ policy: "approvals:\n  - approvers: [role:reviewer]\n    count: 2\n" });
    const request = ask(s);
    expect(
      decideRequest(s.db, s.as("reviewer"), request.id, { decision: "approve" }).request.status,
    ).toBe("pending_review");
    decideRequest(s.db, s.as("reviewer2"), request.id, { decision: "approve" });
    expect(s.status()).toMatchObject({
      status: "approved",
      approved_by: ["Rita Reviewer", "Rob Reviewer"],
    });
  });

  it("refuses a viewer deciding with 403", () => {
    const s = setup();
    const request = ask(s);
    const error = thrown(() =>
      decideRequest(s.db, s.as("viewer"), request.id, { decision: "approve" }),
    );
    expect(error).toMatchObject({ status: 403 });
    expect(s.status().status).toBe("pending_review");
  });

  it("refuses a reviewer the policy does not name with 403", () => {
    const s = setup({ policy: "approvals:\n  - approvers: [role:admin]\n" });
    const request = ask(s);
    const error = thrown(() =>
      decideRequest(s.db, s.as("reviewer"), request.id, { decision: "approve" }),
    );
    expect(error).toMatchObject({ status: 403, code: "forbidden:not_eligible" });
  });

  it("refuses the submitter approving their own version with 403", () => {
    const s = setup();
    const pia = addUser(s.db, "reviewer", "Pia Pipeline");
    const { actor } = tokenActor(s.db, { owner: pia });
    registerVersion(s.db, actor, "churn", {});
    const { request } = requestApproval(s.db, actor, "churn", 1, {});
    const error = thrown(() =>
      decideRequest(s.db, userActor(pia), request.id, { decision: "approve" }),
    );
    expect(error).toMatchObject({ status: 403, code: "forbidden:not_eligible" });
    expect(error.message).toContain("self-approval");
  });

  it("lets the submitter approve when the policy allows self-approval", () => {
    const s = setup({ policy: "allow_self_approval: true\n" });
    const request = ask(s);
    const result = decideRequest(s.db, s.lead, request.id, { decision: "approve" });
    expect(result.request.status).toBe("approved");
  });

  it("refuses a person who was disabled after signing in", () => {
    const s = setup();
    const request = ask(s);
    s.db.update(users).set({ disabled: true }).where(eq(users.id, s.people.reviewer.id)).run();
    const error = thrown(() =>
      decideRequest(s.db, s.as("reviewer"), request.id, { decision: "approve" }),
    );
    expect(error.status).toBe(403);
  });

  it("refuses a decision while the request waits for metrics with 409", () => {
    const s = setup({ policy: REQUIRES_AUC });
    const request = ask(s);
    const error = thrown(() =>
      decideRequest(s.db, s.as("reviewer"), request.id, { decision: "approve" }),
    );
    expect(error).toMatchObject({ status: 409, code: "conflict:awaiting_metrics" });
    expect(error.message).toContain("auc");
  });

  it("answers 404 for a request that does not exist", () => {
    const s = setup();
    const error = thrown(() => decideRequest(s.db, s.as("reviewer"), 999, { decision: "approve" }));
    expect(error).toMatchObject({ status: 404, code: "not_found:request" });
  });

  it("lets a reviewer decide through their own token with the decide scope", () => {
    const s = setup();
    const request = ask(s);
    const { actor } = tokenActor(s.db, { scopes: ["decide"], owner: s.people.reviewer });
    const result = decideRequest(s.db, actor, request.id, { decision: "approve" });
    expect(result).toMatchObject({ by: "Rita Reviewer", request: { status: "approved" } });
  });

  it("refuses a reviewer's token without the decide scope with 403", () => {
    const s = setup();
    const request = ask(s);
    const { actor } = tokenActor(s.db, { owner: s.people.reviewer });
    const error = thrown(() => decideRequest(s.db, actor, request.id, { decision: "approve" }));
    expect(error).toMatchObject({ status: 403, code: "forbidden:requests_decide" });
  });

  it("refuses a pipeline token deciding without a person behind it", () => {
    const s = setup();
    const request = ask(s);
    const { actor } = tokenActor(s.db, { scopes: ["decide"] });
    const error = thrown(() => decideRequest(s.db, actor, request.id, { decision: "approve" }));
    expect(error).toMatchObject({ status: 403, code: "forbidden:decider" });
  });
});

describe("expiry fails closed", () => {
  const EXPIRING = "expires_after: 1m\n";

  function expired() {
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(new Date("2030-01-01T12:00:00Z"));
    const s = setup({ policy: EXPIRING });
    const request = ask(s);
    expect(request.expiresAt?.toISOString()).toBe("2030-01-01T12:01:00.000Z");
    vi.setSystemTime(new Date("2030-01-01T12:01:00Z"));
    return { ...s, request };
  }

  it("reads as expired once the deadline passes", () => {
    const s = expired();
    expect(s.status()).toMatchObject({ status: "expired", final: true });
    expect(s.status().reason).toContain("expired at 2030-01-01T12:01:00.000Z");
    expect(getRequestById(s.db, s.request.id)?.status).toBe("expired");
  });

  it("still reads as pending a moment before the deadline", () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(new Date("2030-01-01T12:00:00Z"));
    const s = setup({ policy: EXPIRING });
    ask(s);
    vi.setSystemTime(new Date("2030-01-01T12:00:59.999Z"));
    expect(s.status().status).toBe("pending_review");
  });

  it("refuses a decision on an expired request with 409", () => {
    const s = expired();
    const error = thrown(() =>
      decideRequest(s.db, s.as("reviewer"), s.request.id, { decision: "approve" }),
    );
    expect(error).toMatchObject({ status: 409, code: "conflict:request_final" });
    expect(error.message).toContain("expired");
    expect(listDecisionsOfRequest(s.db, s.request.id)).toEqual([]);
  });

  it("keeps the expiry recorded after refusing a late decision", () => {
    const s = expired();
    thrown(() => decideRequest(s.db, s.as("reviewer"), s.request.id, { decision: "approve" }));
    expect(getRequestById(s.db, s.request.id)?.status).toBe("expired");
    const actions = s.db
      .select()
      .from(auditEvents)
      .all()
      .map((e) => e.action);
    expect(actions).toContain("request.expired");
  });

  it("refuses a deployment of an expired request with 409", () => {
    const s = expired();
    const error = thrown(() =>
      recordDeployment(s.db, s.lead, MODEL, 1, { environment: "production" }),
    );
    expect(error).toMatchObject({ status: 409, code: "conflict:not_approved" });
    expect(error.message).toContain("expired");
    expect(s.db.select().from(deployments).all()).toEqual([]);
  });

  it("does not expire a request that was approved before the deadline", () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(new Date("2030-01-01T12:00:00Z"));
    const s = setup({ policy: EXPIRING });
    const request = ask(s);
    decideRequest(s.db, s.as("reviewer"), request.id, { decision: "approve" });
    vi.setSystemTime(new Date("2030-01-02T12:00:00Z"));
    expect(s.status().status).toBe("approved");
    expect(recordDeployment(s.db, s.lead, MODEL, 1, {}).requestId).toBe(request.id);
  });

  it("expires a request inserted with a deadline in the past", () => {
    const s = setup();
    const request = ask(s);
    s.db
      .update(approvalRequests)
      .set({ expiresAt: new Date(Date.now() - 1000) })
      .where(eq(approvalRequests.id, request.id))
      .run();
    expect(s.status().status).toBe("expired");
  });

  it("makes a new request when asked again after expiry", () => {
    const s = expired();
    const again = requestApproval(s.db, s.lead, MODEL, 1, {});
    expect(again.created).toBe(true);
    expect(again.request.status).toBe("pending_review");
  });

  it("records an expiry date for a long expiry", () => {
    const s = setup({ policy: "expires_after: 3650d\n" });
    const request = ask(s);
    expect(request.expiresAt?.getTime()).toBeGreaterThan(Date.now() + 3649 * 86_400_000);
  });
});

describe("deployments", () => {
  it("refuses a version with no request for the environment with 409", () => {
    const s = setup();
    const error = thrown(() =>
      recordDeployment(s.db, s.lead, MODEL, 1, { environment: "production" }),
    );
    expect(error).toMatchObject({ status: 409, code: "conflict:not_approved" });
    expect(error.message).toContain("no approval request for production");
  });

  it("refuses a version whose request is pending with 409", () => {
    const s = setup();
    ask(s);
    const error = thrown(() => recordDeployment(s.db, s.lead, MODEL, 1, {}));
    expect(error).toMatchObject({ status: 409, code: "conflict:not_approved" });
    expect(error.message).toContain("pending_review");
  });

  it("refuses a version whose request was rejected with 409", () => {
    const s = setup();
    const request = ask(s);
    decideRequest(s.db, s.as("reviewer"), request.id, { decision: "reject", comment: "no" });
    expect(thrown(() => recordDeployment(s.db, s.lead, MODEL, 1, {})).status).toBe(409);
  });

  it("refuses a deployment to production when only staging is approved", () => {
    const s = setup({
      policy: "auto_approve: [auc >= 0.9]\n",
      environment: "staging",
      metrics: [{ name: "auc", value: 0.95 }],
    });
    ask(s, "staging");
    expect(recordDeployment(s.db, s.lead, MODEL, 1, { environment: "staging" }).environment).toBe(
      "staging",
    );
    expect(
      thrown(() => recordDeployment(s.db, s.lead, MODEL, 1, { environment: "production" })).status,
    ).toBe(409);
  });

  it("records a deployment after approval, which becomes the current one", () => {
    const s = setup();
    const request = ask(s);
    decideRequest(s.db, s.as("reviewer"), request.id, { decision: "approve" });
    const row = recordDeployment(s.db, s.lead, MODEL, 1, { environment: "production" });
    expect(row).toMatchObject({
      model: MODEL,
      version: 1,
      environment: "production",
      requestId: request.id,
      deployedByUserId: s.people.lead.id,
    });
    const production = getEnvironmentByName(s.db, "production")!;
    const model = getModelByName(s.db, MODEL)!;
    expect(getCurrentDeployment(s.db, model.id, production.id)).toMatchObject({
      id: row.id,
      versionNumber: 1,
    });
  });

  it("refuses a reviewer recording a deployment with 403", () => {
    const s = setup();
    expect(thrown(() => recordDeployment(s.db, s.as("reviewer"), MODEL, 1, {}))).toMatchObject({
      status: 403,
      code: "forbidden:deployments_create",
    });
  });
});

describe("the audit history", () => {
  function fullStory() {
    const s = setup({ policy: REQUIRES_AUC });
    const request = ask(s);
    addMetrics(s.db, s.lead, MODEL, 1, { metrics: [{ name: "auc", value: 0.8 }] });
    decideRequest(s.db, s.as("reviewer"), request.id, { decision: "approve" });
    recordDeployment(s.db, s.lead, MODEL, 1, {});
    return s;
  }

  it("has an event for every change of state, by whom", () => {
    const s = fullStory();
    const events = s.db.select().from(auditEvents).orderBy(auditEvents.id).all();
    expect(events.map((e) => [e.action, e.actorType, e.actorName])).toEqual([
      ["model.created", "user", "Leo Lead"],
      ["policy.saved", "user", "Leo Lead"],
      ["version.registered", "user", "Leo Lead"],
      ["request.created", "user", "Leo Lead"],
      ["request.awaiting_metrics", "policy", "policy r1"],
      ["metrics.recorded", "user", "Leo Lead"],
      ["request.pending_review", "policy", "policy r1"],
      ["decision.approve", "user", "Rita Reviewer"],
      ["request.approved", "user", "Rita Reviewer"],
      ["deployment.recorded", "user", "Leo Lead"],
    ]);
  });

  it("records an automatic approval's evidence in its event", () => {
    const s = setup({ policy: REQUIRES_AUC, metrics: [{ name: "auc", value: 0.95 }] });
    ask(s);
    const event = s.db
      .select()
      .from(auditEvents)
      .where(eq(auditEvents.action, "request.approved"))
      .get();
    expect(event).toMatchObject({ actorType: "policy", actorName: "policy r1" });
    expect(event?.details).toMatchObject({ policy_revision: 1, values: { auc: 0.95 } });
  });

  it("records an expiry as a system event", () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(new Date("2030-01-01T12:00:00Z"));
    const s = setup({ policy: "expires_after: 1m\n" });
    ask(s);
    vi.setSystemTime(new Date("2030-01-01T13:00:00Z"));
    s.status();
    const last = listAuditEvents(s.db, { beforeId: null, limit: 1 })[0];
    expect(last).toMatchObject({ action: "request.expired", actorType: "system" });
  });

  // Drizzle wraps the driver's error; the trigger's message is on the cause.
  function sqliteMessage(error: Error & { cause?: unknown }): string {
    return error.cause instanceof Error ? error.cause.message : error.message;
  }

  it("refuses UPDATE of an event with the trigger's error", () => {
    const s = fullStory();
    const error = thrown(() => s.db.run(sql`UPDATE audit_events SET summary = 'nothing happened'`));
    expect(sqliteMessage(error)).toBe("audit_events is append-only");
    expect(
      s.db.select().from(auditEvents).where(eq(auditEvents.summary, "nothing happened")).all(),
    ).toEqual([]);
  });

  it("refuses DELETE of an event with the trigger's error", () => {
    const s = fullStory();
    const count = s.db.select().from(auditEvents).all().length;
    const error = thrown(() => s.db.run(sql`DELETE FROM audit_events WHERE id = 1`));
    expect(sqliteMessage(error)).toBe("audit_events is append-only");
    expect(s.db.select().from(auditEvents).all().length).toBe(count);
  });

  it("refuses changes made on the raw connection too", () => {
    const s = fullStory();
    expect(() => s.sqlite.prepare("DELETE FROM audit_events").run()).toThrow(
      "audit_events is append-only",
    );
    expect(() => s.sqlite.prepare("UPDATE audit_events SET hash = 'x'").run()).toThrow(
      "audit_events is append-only",
    );
  });

  it("chains each event to the one before by hash", () => {
    const s = fullStory();
    const events = s.db.select().from(auditEvents).orderBy(auditEvents.id).all();
    expect(events[0]?.prevHash).toBe(GENESIS_HASH);
    for (let i = 1; i < events.length; i++) {
      expect(events[i]?.prevHash).toBe(events[i - 1]?.hash);
    }
  });

  it("stores hashes that can be recomputed from the stored rows", () => {
    const s = fullStory();
    for (const e of s.db.select().from(auditEvents).orderBy(auditEvents.id).all()) {
      const recomputed = hashAuditEvent(
        e.prevHash,
        {
          actorType: e.actorType,
          actorId: e.actorId,
          actorName: e.actorName,
          action: e.action,
          subjectType: e.subjectType,
          subjectId: e.subjectId,
          modelId: e.modelId,
          summary: e.summary,
          details: e.details,
        },
        e.createdAt,
      );
      expect(recomputed, `event ${e.id} (${e.action})`).toBe(e.hash);
    }
  });

  it("writes no audit event for a refused change", () => {
    const s = setup();
    const request = ask(s);
    const before = s.db.select().from(auditEvents).all().length;
    thrown(() => decideRequest(s.db, s.as("viewer"), request.id, { decision: "approve" }));
    thrown(() => decideRequest(s.db, s.as("reviewer"), request.id, { decision: "reject" }));
    thrown(() => recordDeployment(s.db, s.lead, MODEL, 1, {}));
    expect(s.db.select().from(auditEvents).all().length).toBe(before);
  });
});
