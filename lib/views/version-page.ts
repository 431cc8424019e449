// Everything the version page shows: the candidate's metrics against the
// version live in each environment and the policy thresholds, its requests
// and their decisions, and whether the signed-in person may decide.
import type { Db } from "@/db/client";
import { getDecisionOfUser, listDecisionsOfRequest } from "@/db/queries/decisions";
import { listDeploymentsOfModel } from "@/db/queries/deployments";
import { listEnvironments } from "@/db/queries/environments";
import { listMetricsOfVersion } from "@/db/queries/metrics";
import { listRequestsOfVersion } from "@/db/queries/requests";
import type { User } from "@/db/schema";
import { eligibilityOf, quorumProgress } from "@/lib/approvals/quorum";
import { requirePermission } from "@/lib/gate/actor";
import { approvingPeople, personOf } from "@/lib/gate/people";
import { getVersionOrThrow } from "@/lib/gate/lookup";
import { policyOfRequest } from "@/lib/gate/policy-for";
import { seriesOf, summaryValues } from "@/lib/metrics/summary";
import { submitterLabel } from "./labels";
import { baselineFor, liveVersionOf } from "@/lib/gate/live-version";
import { thresholdChecks, type ThresholdCheck } from "@/lib/policy/thresholds";

export type MetricComparison = {
  metric: string;
  candidate: number | null;
  deployed: number | null;
  thresholds: { label: string; value: number }[];
};

function comparisons(
  candidate: Record<string, number>,
  deployed: Record<string, number> | null,
  checks: ThresholdCheck[],
): MetricComparison[] {
  const names = new Set([...Object.keys(candidate), ...checks.map((c) => c.metric)]);
  return [...names].sort().map((metric) => ({
    metric,
    candidate: candidate[metric] ?? null,
    deployed: deployed?.[metric] ?? null,
    thresholds: checks
      .filter((c) => c.metric === metric)
      .map((c) => ({ label: c.text, value: c.value })),
  }));
}

export function getVersionPage(db: Db, user: User, modelName: string, number: number) {
  requirePermission({ type: "user", user }, "models:read");
  const { model, version } = getVersionOrThrow(db, modelName, number);
  const rows = listMetricsOfVersion(db, version.id);
  const values = summaryValues(rows);
  const submitterId = version.submittedByUserId;
  const environments = new Map(listEnvironments(db).map((e) => [e.id, e.name]));

  const requests = listRequestsOfVersion(db, version.id).map((request) => {
    const { policy, row } = policyOfRequest(db, request.policyId);
    const live = liveVersionOf(db, model.id, request.environmentId);
    const liveValues = baselineFor(live, version.id);
    const checks = thresholdChecks(policy, values, liveValues);
    const decisions = listDecisionsOfRequest(db, request.id);
    const approvers = approvingPeople(db, request.id);
    const eligibility = eligibilityOf(personOf(db, user), policy, [
      submitterId,
      request.requestedByUserId,
    ]);
    const already = getDecisionOfUser(db, request.id, user.id);
    const whyNot =
      request.status !== "pending_review"
        ? request.status === "awaiting_metrics"
          ? `Review starts once the required metrics are recorded (${request.reason}).`
          : `This request is ${request.status}; it takes no more decisions.`
        : !eligibility.eligible
          ? eligibility.reason
          : already
            ? `You have already ${already.decision === "approve" ? "approved" : "rejected"} this.`
            : null;
    return {
      id: request.id,
      environment: environments.get(request.environmentId) ?? "?",
      status: request.status,
      reason: request.reason,
      note: request.note,
      createdAt: request.createdAt,
      finalizedAt: request.finalizedAt,
      expiresAt: request.expiresAt,
      policyRevision: row?.revision ?? null,
      policySource: row?.source ?? null,
      checks,
      missing: policy.requiredMetrics.filter((m) => !Number.isFinite(values[m])),
      progress: quorumProgress(policy, approvers).rules.map((r) => ({
        name: r.rule.name,
        approvers: r.rule.approvers,
        count: r.rule.count,
        approvals: r.approvals,
      })),
      decisions: decisions.map((d) => ({
        id: d.id,
        by: d.userName ?? (row ? `policy r${row.revision}` : "default policy"),
        automatic: d.userId === null,
        decision: d.decision,
        comment: d.comment,
        dismissed: d.dismissedAt !== null,
        at: d.createdAt,
      })),
      live: live ? { version: live.number, since: live.since } : null,
      decidedByPolicy: decisions.some((d) => d.userId === null && d.dismissedAt === null),
      comparisons: comparisons(values, liveValues, checks),
      canDecide: whyNot === null,
      whyNot,
    };
  });

  const submitter = submitterLabel(db, {
    userId: version.submittedByUserId,
    tokenId: version.submittedByTokenId,
  });
  return {
    model: { id: model.id, name: model.name },
    version: {
      number: version.number,
      sourceUri: version.sourceUri,
      runId: version.runId,
      commit: version.commitSha,
      pipelineRunUrl: version.pipelineRunUrl,
      description: version.description,
      params: version.params,
      tags: version.tags,
      createdAt: version.createdAt,
      submitter,
    },
    metrics: rows.filter((r) => r.step === null),
    values,
    series: seriesOf(rows),
    requests,
    comparisons: requests[0]?.comparisons ?? comparisons(values, null, []),
    deployments: listDeploymentsOfModel(db, model.id).filter(
      (d) => d.versionNumber === version.number,
    ),
  };
}

export type VersionPage = ReturnType<typeof getVersionPage>;
