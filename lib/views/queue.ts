// The review queue: open requests, split into those the signed-in person
// may decide now and the rest, each with its key metrics against the
// thresholds of the policy that judges it.
import type { Db } from "@/db/client";
import { getDecisionOfUser } from "@/db/queries/decisions";
import { listMetricsOfVersions } from "@/db/queries/metrics";
import { listOpenRequests } from "@/db/queries/requests";
import { submitterLabel } from "./labels";
import type { User } from "@/db/schema";
import { eligibilityOf } from "@/lib/approvals/quorum";
import { personOf } from "@/lib/gate/people";
import { policyOfRequest } from "@/lib/gate/policy-for";
import { expireOverdueRequests } from "@/lib/gate/requests";
import { summaryValues } from "@/lib/metrics/summary";
import { baselineFor, liveVersionOf } from "@/lib/gate/live-version";
import { thresholdChecks, type ThresholdCheck } from "@/lib/policy/thresholds";

export type QueueItem = {
  requestId: number;
  model: string;
  version: number;
  environment: string;
  status: string;
  reason: string | null;
  createdAt: Date;
  submitter: string;
  checks: ThresholdCheck[];
  missing: string[];
  canDecide: boolean;
  whyNot: string | null;
};

export function getQueueForUser(db: Db, user: User): { mine: QueueItem[]; others: QueueItem[] } {
  expireOverdueRequests(db);
  const rows = listOpenRequests(db);
  const metricRows = listMetricsOfVersions(db, [...new Set(rows.map((r) => r.request.versionId))]);
  const items = rows.map((row): QueueItem => {
    const { policy } = policyOfRequest(db, row.request.policyId);
    const values = summaryValues(metricRows.filter((m) => m.versionId === row.request.versionId));
    const eligibility = eligibilityOf(personOf(db, user), policy, [
      row.submittedByUserId,
      row.request.requestedByUserId,
    ]);
    const decided = getDecisionOfUser(db, row.request.id, user.id);
    const waiting = row.request.status === "awaiting_metrics";
    const whyNot = !eligibility.eligible
      ? eligibility.reason
      : decided
        ? "You have already decided this request."
        : waiting
          ? "Waiting for required metrics before review can start."
          : null;
    return {
      requestId: row.request.id,
      model: row.modelName,
      version: row.versionNumber,
      environment: row.environment,
      status: row.request.status,
      reason: row.request.reason,
      createdAt: row.request.createdAt,
      submitter: submitterLabel(db, {
        userId: row.submittedByUserId,
        tokenId: row.submittedByTokenId,
      }),
      checks: thresholdChecks(
        policy,
        values,
        baselineFor(
          liveVersionOf(db, row.modelId, row.request.environmentId),
          row.request.versionId,
        ),
      ),
      missing: policy.requiredMetrics.filter((m) => !Number.isFinite(values[m])),
      canDecide: whyNot === null,
      whyNot,
    };
  });
  return { mine: items.filter((i) => i.canDecide), others: items.filter((i) => !i.canDecide) };
}
