// Everything the version review page shows: the requester's note, where the
// version came from, the candidate's metrics against the version live in
// each environment and the policy thresholds, learning curves (downsampled
// here, before anything reaches the browser), parameters and tags against
// the live version, and the history of its requests.
import type { Db } from "@/db/client";
import { listAuditEventsOfVersion } from "@/db/queries/audit";
import { getDecisionOfUser, listDecisionsOfRequest } from "@/db/queries/decisions";
import {
  getCurrentDeployment,
  listDeploymentsInEnvironment,
  listDeploymentsOfModel,
} from "@/db/queries/deployments";
import { listEnvironments } from "@/db/queries/environments";
import { listSeriesPointsOfVersion, listSummaryRowsOfVersion } from "@/db/queries/metrics";
import { listRequestsOfVersion } from "@/db/queries/requests";
import { getVersionById, getVersionByNumber } from "@/db/queries/versions";
import type { ApprovalRequest, User } from "@/db/schema";
import { eligibilityOf, quorumProgress, type Eligibility } from "@/lib/approvals/quorum";
import { requirePermission } from "@/lib/gate/actor";
import { liveAt } from "@/lib/deployments/timeline";
import { baselineFor, liveVersionOf, type LiveVersion } from "@/lib/gate/live-version";
import { getVersionOrThrow } from "@/lib/gate/lookup";
import { approvingPeople, personOf } from "@/lib/gate/people";
import { policyOfRequest } from "@/lib/gate/policy-for";
import { seriesFromRows } from "@/lib/metrics/series";
import { summaryRowsByName, summaryValues, type MetricRow } from "@/lib/metrics/summary";
import type { Policy } from "@/lib/policy/policy";
import { thresholdChecks, type ThresholdCheck } from "@/lib/policy/thresholds";
import { submitterLabel } from "./labels";
import { diffRecords, type DiffRow } from "./record-diff";
import { sourceLinksOf } from "./source-links";
import { buildTimeline } from "./version-timeline";

export type MetricCheck = Pick<ThresholdCheck, "kind" | "text" | "op" | "value" | "pass">;

/** One row of the comparison table, and one dot-plot chart. */
export type MetricComparison = {
  metric: string;
  candidate: number | null;
  /** The live version's value; null when nothing else is live or it lacks the metric. */
  deployed: number | null;
  checks: MetricCheck[];
  /** The split the candidate's value was recorded in (null: none); shown beside the name. */
  split: string | null;
  /** The policy needs it before review can start. */
  required: boolean;
  /** For the chart: each threshold as a line. */
  thresholds: { label: string; value: number }[];
};

function comparisons(
  candidate: Record<string, number>,
  splits: Record<string, string | null>,
  live: Record<string, number> | null,
  policy: Policy,
  checks: ThresholdCheck[],
): MetricComparison[] {
  // Every metric either version has and every one the policy names.
  const names = new Set([
    ...Object.keys(candidate),
    ...Object.keys(live ?? {}),
    ...policy.requiredMetrics,
    ...checks.map((c) => c.metric),
  ]);
  return [...names].sort().map((metric) => {
    const mine = checks.filter((c) => c.metric === metric);
    return {
      metric,
      candidate: candidate[metric] ?? null,
      split: splits[metric] ?? null,
      deployed: live?.[metric] ?? null,
      checks: mine.map(({ kind, text, op, value, pass }) => ({ kind, text, op, value, pass })),
      required: policy.requiredMetrics.includes(metric),
      thresholds: mine.map((c) => ({ label: c.text, value: c.value })),
    };
  });
}

/**
 * What a request is measured against: for an open one, the version live now;
 * for a decided one, the version that was live when it was decided, so a
 * lead reading an old approval sees the comparison it was made on. (A live
 * version's metrics cannot change once deployed, so its values still hold.)
 */
function baselineOf(db: Db, modelId: number, request: ApprovalRequest): LiveVersion | null {
  if (!request.finalizedAt) return liveVersionOf(db, modelId, request.environmentId);
  const then = liveAt(
    listDeploymentsInEnvironment(db, modelId, request.environmentId),
    request.finalizedAt,
  );
  if (!then) return null;
  return {
    versionId: then.versionId,
    number: then.versionNumber,
    since: then.createdAt,
    values: summaryValues(listSummaryRowsOfVersion(db, then.versionId)),
  };
}

function whyNotDecide(
  request: ApprovalRequest,
  eligibility: Eligibility,
  already: { decision: string } | undefined,
): string | null {
  if (request.status === "awaiting_metrics")
    return `Review starts once the required metrics are recorded (${request.reason}).`;
  if (request.status !== "pending_review")
    return `This request is ${request.status.replace(/_/g, " ")}; it takes no more decisions.`;
  if (!eligibility.eligible) return eligibility.reason;
  if (already)
    return `You have already ${already.decision === "approve" ? "approved" : "rejected"} this.`;
  return null;
}

/** A value recorded for a metric in one split (or none), beside the one judged. */
export type SplitValue = {
  metric: string;
  split: string | null;
  value: number;
  /** Set when the value is the last point of a curve. */
  step: number | null;
  /** The value policies and the comparison use for this metric. */
  judged: boolean;
};

/**
 * Every value of the metrics recorded more than once (in several splits, or
 * as a value and a curve): the page compares one per metric, and the others
 * must still be visible. Empty when each metric has a single value.
 */
function valuesBySplit(rows: MetricRow[]): SplitValue[] {
  const judged = new Set([...summaryRowsByName(rows).values()].map((r) => r.id));
  const count = new Map<string, number>();
  for (const r of rows) count.set(r.name, (count.get(r.name) ?? 0) + 1);
  return rows
    .filter((r) => (count.get(r.name) ?? 0) > 1)
    .map((r) => ({
      metric: r.name,
      split: r.split,
      value: r.value,
      step: r.step,
      judged: judged.has(r.id),
    }))
    .sort(
      (a, b) => a.metric.localeCompare(b.metric) || (a.split ?? "").localeCompare(b.split ?? ""),
    );
}

export function getVersionPage(db: Db, user: User, modelName: string, number: number) {
  requirePermission({ type: "user", user }, "models:read");
  const { model, version } = getVersionOrThrow(db, modelName, number);
  // The summary comes from one row per metric and split (aggregated in
  // SQLite); the series from tuples in index order, downsampled right here.
  const summaryRows = listSummaryRowsOfVersion(db, version.id);
  const values = summaryValues(summaryRows);
  const splits = Object.fromEntries(
    [...summaryRowsByName(summaryRows)].map(([name, row]) => [name, row.split]),
  );
  const series = seriesFromRows(listSeriesPointsOfVersion(db, version.id));
  const environments = new Map(listEnvironments(db).map((e) => [e.id, e.name]));
  const requestRows = listRequestsOfVersion(db, version.id);

  const requests = requestRows.map((request) => {
    const { policy, row } = policyOfRequest(db, request.policyId);
    const live = baselineOf(db, model.id, request);
    const liveValues = baselineFor(live, version.id);
    const liveRow = live && liveValues ? getVersionById(db, live.versionId) : undefined;
    const checks = thresholdChecks(policy, values, liveValues);
    const decisions = listDecisionsOfRequest(db, request.id);
    const eligibility = eligibilityOf(personOf(db, user), policy, [
      version.submittedByUserId,
      request.requestedByUserId,
    ]);
    const whyNot = whyNotDecide(request, eligibility, getDecisionOfUser(db, request.id, user.id));
    return {
      id: request.id,
      environment: environments.get(request.environmentId) ?? "?",
      status: request.status,
      reason: request.reason,
      note: request.note,
      requestedBy: submitterLabel(db, {
        userId: request.requestedByUserId,
        tokenId: request.requestedByTokenId,
      }),
      createdAt: request.createdAt,
      finalizedAt: request.finalizedAt,
      expiresAt: request.expiresAt,
      policyRevision: row?.revision ?? null,
      missing: policy.requiredMetrics.filter((m) => !Number.isFinite(values[m])),
      progress: quorumProgress(policy, approvingPeople(db, request.id)).rules.map((r) => ({
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
        dismissedAt: d.dismissedAt,
        at: d.createdAt,
      })),
      /** The version live in this environment, unless it is this one. */
      live: live
        ? {
            version: live.number,
            since: live.since,
            isThis: !liveValues,
            // Set for a decided request: the comparison is as of that moment.
            asOf: request.finalizedAt,
          }
        : null,
      decidedByPolicy: decisions.some((d) => d.userId === null && d.dismissedAt === null),
      // TODO: a decided request shows the candidate's values of now; a metric
      // recorded after a rejection (which leaves it rejected) is not what the
      // reviewer saw. Automatic decisions keep theirs in decisions.evidence.
      comparisons: comparisons(values, splits, liveValues, policy, checks),
      // Against the version live here; null when there is none to compare with.
      paramsDiff: liveRow ? diffRecords(version.params, liveRow.params) : null,
      tagsDiff: liveRow ? diffRecords(version.tags, liveRow.tags) : null,
      canDecide: whyNot === null,
      whyNot,
      decisionRows: decisions,
    };
  });

  const deployments = listDeploymentsOfModel(db, model.id).filter(
    (d) => d.versionNumber === version.number,
  );
  const timeline = buildTimeline(
    listAuditEventsOfVersion(db, {
      modelId: model.id,
      versionId: version.id,
      requestIds: requestRows.map((r) => r.id),
      deploymentIds: deployments.map((d) => d.id),
    }),
    requests.map((r) => ({ id: r.id, environment: r.environment, note: r.note })),
    requests.flatMap((r) => r.decisionRows),
  );

  // With no live version to diff against, the previous version is the next
  // best question a reviewer has: what changed since the last one?
  const liveDiffed = requests.some((r) => r.paramsDiff && r.live && !r.live.isThis);
  const previous =
    liveDiffed || version.number === 1
      ? undefined
      : getVersionByNumber(db, model.id, version.number - 1);
  // A closed request's baseline is what was live when it closed, so its
  // sentence is in the past and names how it closed ("superseded" is not
  // "decided"); where the previous version is live now is said of it, so
  // "nothing was live" is never read as "nothing is live".
  const noLive = requests.flatMap((r) => {
    const then = r.finalizedAt ? ` when request #${r.id} was ${r.status}` : "";
    const verb = then ? "was" : "is";
    if (!r.live) return [`nothing ${verb} live in ${r.environment}${then}`];
    if (r.live.isThis) return [`this version ${verb} live in ${r.environment}${then}`];
    return [];
  });
  const liveNowIn = (versionId: number) =>
    [...new Set(requestRows.map((r) => r.environmentId))]
      .filter((id) => getCurrentDeployment(db, model.id, id)?.versionId === versionId)
      .map((id) => environments.get(id) ?? "?");
  const previousDiff = previous
    ? {
        against: [
          [`v${previous.number}, the previous version`]
            .concat(liveNowIn(previous.id).map((env) => `live in ${env} now`))
            .join(", "),
          ...new Set(noLive),
        ].join("; "),
        params: diffRecords(version.params, previous.params),
        tags: diffRecords(version.tags, previous.tags),
      }
    : null;

  return {
    model: { id: model.id, name: model.name },
    version: {
      number: version.number,
      description: version.description,
      params: version.params,
      tags: version.tags,
      createdAt: version.createdAt,
      /** Sent with a decision, so one made on numbers that changed since is refused. */
      metricsRevision: version.metricsRevision,
      submitter: submitterLabel(db, {
        userId: version.submittedByUserId,
        tokenId: version.submittedByTokenId,
      }),
    },
    sources: sourceLinksOf({
      sourceUri: version.sourceUri,
      runId: version.runId,
      commit: version.commitSha,
      pipelineRunUrl: version.pipelineRunUrl,
      tags: version.tags,
    }),
    // Newest first (the query's order): the request a reviewer came for leads.
    requests: requests.map(({ decisionRows: _, ...r }) => r),
    /** One value per metric, for a version nobody has asked about yet. */
    values: Object.entries(values).sort(([a], [b]) => a.localeCompare(b)),
    /** The split of each of those values (null: recorded without one). */
    splits,
    bySplit: valuesBySplit(summaryRows),
    series,
    timeline,
    deployments,
    /** Set when no request diffs against a live version and a previous version exists. */
    previousDiff,
  };
}

export type VersionPage = ReturnType<typeof getVersionPage>;
export type RequestView = VersionPage["requests"][number];
export type { DiffRow };
