// The gate's answer to a pipeline: where a request stands and why.
import type { Db, DbOrTx } from "@/db/client";
import { listDecisionsOfRequest } from "@/db/queries/decisions";
import { listSummaryRowsOfVersion } from "@/db/queries/metrics";
import { getLatestRequest, getRequestById } from "@/db/queries/requests";
import type { ApprovalRequest, Environment } from "@/db/schema";
import { notFound } from "@/lib/errors";
import { summaryValues } from "@/lib/metrics/summary";
import { quorumProgress } from "@/lib/approvals/quorum";
import { isFinal } from "@/lib/requests/status";
import { appUrl } from "@/lib/app-url";
import { requirePermission, type Actor } from "./actor";
import { loadRequestSubject } from "./decide";
import { approvingPeople } from "./people";
import { getEnvironmentOrThrow, getVersionOrThrow } from "./lookup";
import { policyOfRequest } from "./policy-for";
import { expireOverdueRequests } from "./requests";
import { isShuttingDown, requestChangeCount, waitForRequestChange } from "./request-events";
import { watchRequest } from "./request-watch";

export type GateStatus = ReturnType<typeof describeRequest>;

export function describeRequest(tx: DbOrTx, request: ApprovalRequest, environment: Environment) {
  const subject = loadRequestSubject(tx, request);
  const { policy, row } = policyOfRequest(tx, request.policyId);
  const values = summaryValues(listSummaryRowsOfVersion(tx, subject.version.id));
  const decisions = listDecisionsOfRequest(tx, request.id);
  const approving = decisions.filter((d) => d.decision === "approve" && d.dismissedAt === null);
  const progress = quorumProgress(policy, approvingPeople(tx, request.id));
  const model = subject.model.name;
  const number = subject.version.number;
  return {
    request_id: request.id,
    model_id: subject.model.id,
    model,
    version: number,
    // Names the metrics a decision through the API is made on (see decideRequest).
    metrics_revision: subject.version.metricsRevision,
    environment: environment.name,
    status: request.status,
    final: isFinal(request.status),
    reason: request.reason,
    approved_by:
      request.status === "approved"
        ? approving.map((d) => d.userName ?? `policy${row ? ` r${row.revision}` : ""}`)
        : [],
    missing_metrics: policy.requiredMetrics.filter((m) => !Number.isFinite(values[m])),
    required_approvals: progress.rules.map((r) => ({
      rule: r.rule.name,
      approvers: r.rule.approvers,
      count: r.rule.count,
      approvals: r.approvals,
    })),
    decisions: decisions.map((d) => ({
      by: d.userName ?? "policy",
      automatic: d.userId === null,
      decision: d.decision,
      comment: d.comment,
      dismissed: d.dismissedAt !== null,
      at: d.createdAt.toISOString(),
      ...(d.evidence ? { evidence: d.evidence } : {}),
    })),
    on_reject: policy.onReject,
    policy_revision: row?.revision ?? null,
    policy_scope: !row
      ? "built-in default"
      : row.modelId === null
        ? "organisation default"
        : "model environment",
    note: request.note,
    created_at: request.createdAt.toISOString(),
    finalized_at: request.finalizedAt?.toISOString() ?? null,
    expires_at: request.expiresAt?.toISOString() ?? null,
    review_url: `${appUrl()}/models/${model}/versions/${number}`,
  };
}

/** The newest request's status, expiring it first if its deadline passed. */
export function readGateStatus(
  db: Db,
  actor: Actor,
  modelName: string,
  number: number,
  env: string,
) {
  requirePermission(actor, "models:read");
  const { version } = getVersionOrThrow(db, modelName, number);
  const environment = getEnvironmentOrThrow(db, env);
  const latest = getLatestRequest(db, version.id, environment.id);
  if (!latest) {
    throw notFound(
      "request",
      `${modelName} v${number} has no approval request for ${env}; POST to ` +
        `/api/v1/models/${modelName}/versions/${number}/approval first.`,
    );
  }
  const overdue = latest.expiresAt && !isFinal(latest.status) && latest.expiresAt <= new Date();
  const request = overdue
    ? (expireOverdueRequests(db), getRequestById(db, latest.id) ?? latest)
    : latest;
  return describeShared(db, request, environment);
}

// Hundreds of pipelines woken by one decision would each rebuild the same
// answer; within a short window they share one. The key holds the request's
// updated_at and this process's count of request changes, which new metrics
// for the version also move (their revision and missing metrics are in the
// answer), so a shared answer never outlives a change made here; one made
// by another process shows within SHARE_MS.
const SHARE_MS = 250;
const globalForShared = globalThis as unknown as {
  __sharedGate?: Map<number, { stamp: string; at: number; status: GateStatus }>;
};
const shared = (globalForShared.__sharedGate ??= new Map());

function describeShared(db: Db, request: ApprovalRequest, environment: Environment): GateStatus {
  const stamp = `${request.updatedAt.getTime()}:${requestChangeCount()}`;
  const hit = shared.get(request.id);
  const now = Date.now();
  if (hit && hit.stamp === stamp && now - hit.at < SHARE_MS) return hit.status;
  const status = describeRequest(db, request, environment);
  shared.delete(request.id);
  shared.set(request.id, { stamp, at: now, status });
  if (shared.size > 1000) shared.delete(shared.keys().next().value as number);
  return status;
}

// Woken waiters share one status object per change (describeShared), and so
// one JSON text: a thousand answers cost one JSON.stringify.
const texts = new WeakMap<GateStatus, string>();

/** The status as JSON text, written once per shared status object. */
export function gateStatusText(status: GateStatus): string {
  let text = texts.get(status);
  if (text === undefined) {
    text = JSON.stringify(status);
    texts.set(status, text);
  }
  return text;
}

function rereadGateStatus(db: Db, actor: Actor, requestId: number, environment: Environment) {
  requirePermission(actor, "models:read");
  // Waiters released in the same turn of the event loop share one read of
  // their request; the next turn reads again.
  if (rereads.has(requestId)) return rereads.get(requestId) ?? null;
  let request = getRequestById(db, requestId);
  if (request?.expiresAt && !isFinal(request.status) && request.expiresAt <= new Date()) {
    expireOverdueRequests(db);
    request = getRequestById(db, requestId) ?? request;
  }
  const status = request ? describeShared(db, request, environment) : null;
  if (rereads.size === 0) setImmediate(() => rereads.clear());
  rereads.set(requestId, status);
  return status;
}

const rereads = new Map<number, GateStatus | null>();

// Answering a thousand woken waiters in one turn of the event loop starves
// every other socket, the deciding call's own answer included, until all are
// written. They are released WAKE_BATCH per turn instead, so other work and
// the answers already made get out in between.
const WAKE_BATCH = 100;
const released: Array<() => void> = [];

function takeTurn(): Promise<void> {
  return new Promise((resolve) => {
    released.push(resolve);
    if (released.length === 1) setImmediate(releaseBatch);
  });
}

function releaseBatch(): void {
  for (const resolve of released.splice(0, WAKE_BATCH)) resolve();
  if (released.length > 0) setImmediate(releaseBatch);
}

// 1,000 waiters are answered 285 ms after a decision on a quiet 2-core
// machine, about 1 s when other processes load it (target 1 s,
// docs/benchmarks.md). What is left per waiter is Next.js turning each
// Response into a Node stream; answering long polls below the framework, or
// across processes, would be the next step if more waiters are needed.
/** Long poll: answers as soon as the status is final or the wait is over. */
export async function waitForGateStatus(
  db: Db,
  actor: Actor,
  ref: { name: string; version: number; environment: string; waitSeconds: number },
  signal?: AbortSignal,
): Promise<GateStatus> {
  const deadline = Date.now() + ref.waitSeconds * 1000;
  let status = readGateStatus(db, actor, ref.name, ref.version, ref.environment);
  if (status.final || ref.waitSeconds === 0) return status;
  const environment = getEnvironmentOrThrow(db, ref.environment);
  const unwatch = watchRequest(db, status.request_id);
  try {
    for (;;) {
      const left = deadline - Date.now();
      if (status.final || left <= 0 || signal?.aborted || isShuttingDown()) return status;
      await waitForRequestChange(status.request_id, left, signal);
      await takeTurn();
      // The caller was allowed to read when the wait began; from here on a
      // woken waiter needs only its request's row (a version's newest request
      // only changes after this one is final, when the wait ends).
      status = rereadGateStatus(db, actor, status.request_id, environment) ?? status;
    }
  } finally {
    unwatch();
  }
}
