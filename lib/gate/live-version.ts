// The version live in an environment and its metric values: what a policy's
// comparisons and the review page measure a candidate against.
import type { DbOrTx } from "@/db/client";
import { getCurrentDeployment } from "@/db/queries/deployments";
import { listSummaryRowsOfVersion } from "@/db/queries/metrics";
import { summaryValues } from "@/lib/metrics/summary";

export type LiveVersion = {
  versionId: number;
  number: number;
  since: Date;
  values: Record<string, number>;
};

export function liveVersionOf(
  db: DbOrTx,
  modelId: number,
  environmentId: number,
): LiveVersion | null {
  const live = getCurrentDeployment(db, modelId, environmentId);
  if (!live) return null;
  return {
    versionId: live.versionId,
    number: live.versionNumber,
    since: live.createdAt,
    values: summaryValues(listSummaryRowsOfVersion(db, live.versionId)),
  };
}

/** Values to compare a candidate with; null when the candidate itself is live. */
export function baselineFor(live: LiveVersion | null, candidateVersionId: number) {
  return live && live.versionId !== candidateVersionId ? live.values : null;
}
