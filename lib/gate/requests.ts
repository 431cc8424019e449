// Approval requests: creating them, judging them by their policy's
// automatic rules, and expiring them. Decisions by people are in decide.ts.
import type { Db, Tx } from "@/db/client";
import { appendAuditEvent } from "@/db/queries/audit";
import { dismissDecisions, insertDecision } from "@/db/queries/decisions";
import { listSummaryRowsOfVersion } from "@/db/queries/metrics";
import {
  getLatestRequest,
  insertRequest,
  getRequestById,
  listOpenRequestsOfOtherVersions,
  listOpenRequestsOfVersion,
  listRequestsOfVersion,
  listOverdueRequests,
} from "@/db/queries/requests";
import { getModelById } from "@/db/queries/models";
import { getVersionById } from "@/db/queries/versions";
import type { ApprovalRequest, Environment, ModelVersion, RegisteredModel } from "@/db/schema";
import { conflict } from "@/lib/errors";
import { logFor } from "@/lib/log";
import { summaryValues } from "@/lib/metrics/summary";
import { describeEvaluation, evaluatePolicy, type Evaluation } from "@/lib/policy/evaluate-policy";
import { referencedMetrics } from "@/lib/policy/policy";
import { isExpiredAt, isFinal } from "@/lib/requests/status";
import { actorAudit, actorColumns, requirePermission, type Actor } from "./actor";
import { parseInput, requestApprovalInput } from "./inputs";
import { getEnvironmentOrThrow, getVersionOrThrow } from "./lookup";
import { currentPolicyFor, policyOfRequest, type ResolvedPolicy } from "./policy-for";
import { notifyRequestChanged } from "./request-events";
import { writeTransaction } from "./transaction";
import { changeRequestStatus, emitStatusEvent } from "./request-status";
import { emitRequestEvent } from "@/lib/webhooks/emit";
import { baselineFor, liveVersionOf, type LiveVersion } from "./live-version";

const log = logFor("requests");

/** Changes the product makes on its own: expiry, superseding, dismissal. */
const SYSTEM = { actorType: "system", actorId: null, actorName: "system" } as const;

// Statuses after which asking again makes a new request.
const ASK_AGAIN_AFTER = new Set(["rejected", "expired", "cancelled", "superseded"]);

type Subject = { model: RegisteredModel; version: ModelVersion };

export function requestApproval(
  db: Db,
  actor: Actor,
  modelName: string,
  number: number,
  body: unknown,
): { request: ApprovalRequest; created: boolean; environment: Environment } {
  requirePermission(actor, "requests:create");
  const input = parseInput(requestApprovalInput, body ?? {}, "approval request");
  const at = new Date();

  return writeTransaction(db, (tx, afterCommit) => {
    const subject = getVersionOrThrow(tx, modelName, number);
    const environment = getEnvironmentOrThrow(tx, input.environment);
    const latest = getLatestRequest(tx, subject.version.id, environment.id);
    if (latest) {
      const current = expireIfDue(tx, latest, subject, at);
      if (!ASK_AGAIN_AFTER.has(current.status))
        return { request: current, created: false, environment };
    }

    // An older version asking after a newer one would only be superseded.
    const newer = listOpenRequestsOfOtherVersions(tx, {
      modelId: subject.model.id,
      environmentId: environment.id,
      number: subject.version.number,
      side: "newer",
    });
    if (newer.length > 0) {
      const v = Math.max(...newer.map((r) => r.versionNumber));
      throw conflict(
        "newer_version_waiting",
        `v${v} of ${modelName} is newer and already waiting for ${environment.name}; ` +
          `a request for v${number} would be superseded at once.`,
      );
    }
    const resolved = currentPolicyFor(tx, subject.model.id, environment.id);
    const requester = actorColumns(actor);
    let request = insertRequest(
      tx,
      {
        versionId: subject.version.id,
        environmentId: environment.id,
        policyId: resolved.row?.id ?? null,
        status: "awaiting_metrics",
        reason: null,
        note: input.note ?? null,
        requestedByUserId: requester.userId,
        requestedByTokenId: requester.tokenId,
        expiresAt: resolved.policy.expiresAfterMs
          ? new Date(at.getTime() + resolved.policy.expiresAfterMs)
          : null,
        finalizedAt: null,
      },
      at,
    );
    appendAuditEvent(
      tx,
      {
        ...actorAudit(actor),
        action: "request.created",
        subjectType: "request",
        subjectId: request.id,
        modelId: subject.model.id,
        summary: `requested approval of ${modelName} v${number} for ${environment.name}`,
        details: { environment: environment.name, policy_revision: resolved.row?.revision ?? null },
      },
      at,
    );
    // The created event carries the judged status; the outcome's own event follows it.
    request = judgeRequest(tx, request, subject, resolved, at, "", { emit: false });
    emitRequestEvent(tx, "request.created", request.id);
    emitStatusEvent(tx, request.id, request.status);
    // A candidate the policy rejects at once replaces nothing.
    const superseded =
      request.status === "rejected"
        ? []
        : supersedeOlderRequests(tx, subject, environment, request.id, at);
    const id = request.id;
    afterCommit(() => {
      notifyRequestChanged(id);
      superseded.forEach(notifyRequestChanged);
      log.info(
        { request: id, model: modelName, version: number, status: request.status },
        "request created",
      );
    });
    return { request, created: true, environment };
  });
}

/**
 * A newer version asking for the same environment replaces older open
 * requests: they become `superseded` (final), so pipelines waiting on them
 * are answered and reviewers are not asked to judge a stale candidate.
 */
function supersedeOlderRequests(
  tx: Tx,
  subject: Subject,
  environment: Environment,
  newRequestId: number,
  at: Date,
): number[] {
  const older = listOpenRequestsOfOtherVersions(tx, {
    modelId: subject.model.id,
    environmentId: environment.id,
    number: subject.version.number,
    side: "older",
  });
  for (const old of older) {
    const reason = `superseded by v${subject.version.number} (request #${newRequestId})`;
    changeRequestStatus(tx, old.id, { status: "superseded", reason, finalizedAt: at }, at);
    appendAuditEvent(
      tx,
      {
        ...SYSTEM,
        action: "request.superseded",
        subjectType: "request",
        subjectId: old.id,
        modelId: subject.model.id,
        summary: `${subject.model.name} v${old.versionNumber} in ${environment.name}: ${reason}`,
        details: { superseded_by: newRequestId },
      },
      at,
    );
  }
  return older.map((o) => o.id);
}

/** Applies the policy's automatic rules to an open request and records the outcome. */
function judgeRequest(
  tx: Tx,
  request: ApprovalRequest,
  subject: Subject,
  resolved: ResolvedPolicy,
  at: Date,
  reasonPrefix = "",
  { emit = true } = {},
): ApprovalRequest {
  const values = summaryValues(listSummaryRowsOfVersion(tx, subject.version.id));
  const live = liveVersionOf(tx, subject.model.id, request.environmentId);
  const evaluation = evaluatePolicy(resolved.policy, values, baselineFor(live, subject.version.id));
  const status = evaluation.outcome;
  const reason = reasonPrefix + describeEvaluation(evaluation);
  if (status === request.status && reason === request.reason) return request;

  const final = status === "approved" || status === "rejected";
  const updated = changeRequestStatus(
    tx,
    request.id,
    { status, reason, finalizedAt: final ? at : null },
    at,
    { emit },
  );
  if (final) {
    insertDecision(
      tx,
      {
        requestId: request.id,
        userId: null,
        decision: status === "approved" ? "approve" : "reject",
        comment: reason,
        evidence: evidenceOf(evaluation, resolved, values, live),
      },
      at,
    );
  }
  appendAuditEvent(
    tx,
    {
      actorType: "policy",
      actorId: resolved.row?.id ?? null,
      actorName: resolved.row ? `policy r${resolved.row.revision}` : "default policy",
      action: `request.${status}`,
      subjectType: "request",
      subjectId: request.id,
      modelId: subject.model.id,
      summary: `${subject.model.name} v${subject.version.number}: ${reason}`,
      details: final ? evidenceOf(evaluation, resolved, values, live) : { reason },
    },
    at,
  );
  return updated;
}

function evidenceOf(
  evaluation: Evaluation,
  resolved: ResolvedPolicy,
  values: Record<string, number>,
  live: LiveVersion | null,
) {
  const judged = evaluation.outcome !== "awaiting_metrics";
  const checks = judged
    ? [...evaluation.approveChecks, ...evaluation.rejectChecks].map((c) => ({
        condition: c.text,
        actual: c.actual,
        holds: c.holds,
      }))
    : [];
  const comparisons = judged
    ? evaluation.compareChecks.map((c) => ({
        comparison: c.text,
        actual: c.actual,
        deployed: c.baseline,
        skipped: c.skipped,
        holds: c.holds,
      }))
    : [];
  return {
    policy_id: resolved.row?.id ?? null,
    policy_revision: resolved.row?.revision ?? null,
    values,
    checks,
    ...(comparisons.length > 0 ? { comparisons, deployed_version: live?.number ?? null } : {}),
  };
}

/** Re-judges a version's open requests after its metrics changed. */
export function reevaluateOpenRequests(tx: Tx, subject: Subject, at: Date): number[] {
  const changed: number[] = [];
  for (const open of listOpenRequestsOfVersion(tx, subject.version.id)) {
    const request = expireIfDue(tx, open, subject, at);
    if (isFinal(request.status)) {
      changed.push(request.id);
      continue;
    }
    // People may already be reviewing; only a request still waiting for
    // metrics is re-judged, so an automatic outcome never overrides them.
    if (request.status !== "awaiting_metrics") continue;
    const after = judgeRequest(tx, request, subject, policyOfRequest(tx, request.policyId), at);
    if (after.status !== request.status) changed.push(request.id);
  }
  return changed;
}

/** Expiry fails closed: an open request past its deadline becomes `expired`. */
export function expireIfDue(
  tx: Tx,
  request: ApprovalRequest,
  subject: Subject,
  at: Date,
): ApprovalRequest {
  if (isFinal(request.status) || !isExpiredAt(request.expiresAt, at)) return request;
  const reason = `expired at ${request.expiresAt?.toISOString()} before a decision`;
  const updated = changeRequestStatus(
    tx,
    request.id,
    { status: "expired", reason, finalizedAt: at },
    at,
  );
  appendAuditEvent(
    tx,
    {
      ...SYSTEM,
      action: "request.expired",
      subjectType: "request",
      subjectId: request.id,
      modelId: subject.model.id,
      summary: `${subject.model.name} v${subject.version.number}: ${reason}`,
      details: null,
    },
    at,
  );
  return updated;
}

/**
 * Expires every overdue open request in its own committed transaction, so
 * the expiry stays recorded even when the caller then refuses its action.
 */
export function expireOverdueRequests(db: Db, at: Date = new Date()): number[] {
  if (listOverdueRequests(db, at).length === 0) return [];
  return writeTransaction(db, (tx, afterCommit) => {
    const expired: number[] = [];
    for (const overdue of listOverdueRequests(tx, at)) {
      const version = getVersionById(tx, overdue.versionId);
      const model = version ? getModelById(tx, version.modelId) : undefined;
      if (!version || !model) continue;
      const current = getRequestById(tx, overdue.id) ?? overdue;
      if (expireIfDue(tx, current, { model, version }, at).status === "expired")
        expired.push(overdue.id);
    }
    afterCommit(() => expired.forEach(notifyRequestChanged));
    return expired;
  });
}

/**
 * When a metric the policy looks at changes after approval, or while people
 * review, the decisions were given for other numbers: they are dismissed and
 * the request goes back through the policy (and to people, unless the rules
 * decide again). Rejected and other final requests stay as they are.
 */
export function dismissStaleApprovals(
  tx: Tx,
  subject: Subject,
  before: Record<string, number>,
  at: Date,
): number[] {
  const after = summaryValues(listSummaryRowsOfVersion(tx, subject.version.id));
  const dismissed: number[] = [];
  for (const found of listRequestsOfVersion(tx, subject.version.id)) {
    // Expiry fails closed: an overdue open request expires before new
    // numbers could approve it.
    const request = expireIfDue(tx, found, subject, at);
    if (request.status !== found.status) dismissed.push(request.id);
    if (request.status !== "approved" && request.status !== "pending_review") continue;
    const resolved = policyOfRequest(tx, request.policyId);
    const changed = referencedMetrics(resolved.policy).filter(
      (m) => !Object.is(before[m], after[m]),
    );
    if (changed.length === 0) continue;
    const standing = dismissDecisions(tx, request.id, at);
    if (standing === 0) {
      // Nobody has decided yet: only the automatic rules see new numbers.
      const after = judgeRequest(tx, request, subject, resolved, at);
      if (after.status !== request.status) dismissed.push(request.id);
      continue;
    }
    const what = changed.map((m) => `${m} ${before[m] ?? "missing"} → ${after[m]}`).join(", ");
    const reason =
      request.status === "approved"
        ? `approval dismissed: metrics changed (${what}); `
        : `decisions so far dismissed: metrics changed (${what}); `;
    const reopened = changeRequestStatus(
      tx,
      request.id,
      { status: "pending_review", reason: `${reason}waiting for review`, finalizedAt: null },
      at,
    );
    appendAuditEvent(
      tx,
      {
        ...SYSTEM,
        action: "request.approval_dismissed",
        subjectType: "request",
        subjectId: request.id,
        modelId: subject.model.id,
        summary: `${subject.model.name} v${subject.version.number}: ${reason.slice(0, -2)}`,
        details: { changed: Object.fromEntries(changed.map((m) => [m, [before[m], after[m]]])) },
      },
      at,
    );
    // Reopened past its deadline, it expires instead of being judged again.
    if (expireIfDue(tx, reopened, subject, at).status !== "expired") {
      judgeRequest(tx, reopened, subject, resolved, at, reason);
    }
    dismissed.push(request.id);
  }
  return dismissed;
}
