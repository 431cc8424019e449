// "What would this policy have done?" A policy text judged against a model's
// recent versions before it is saved. Nothing is written.
import type { Db } from "@/db/client";
import { listMetricsOfVersions } from "@/db/queries/metrics";
import { listVersionsOfModel } from "@/db/queries/versions";
import { badRequest } from "@/lib/errors";
import { summaryValues } from "@/lib/metrics/summary";
import { describeEvaluation, evaluatePolicy } from "@/lib/policy/evaluate-policy";
import { requirePermission, type Actor } from "./actor";
import { baselineFor, liveVersionOf } from "./live-version";
import { getEnvironmentOrThrow, getModelOrThrow } from "./lookup";
import { validatePolicySource } from "./policies";

export const DRY_RUN_VERSIONS = 20;

export type DryRunRow = {
  version: number;
  outcome: "approved" | "rejected" | "pending_review" | "awaiting_metrics";
  reason: string;
};

const PHRASE: Record<DryRunRow["outcome"], (versions: string) => string> = {
  approved: (v) => `approved ${v}`,
  rejected: (v) => `rejected ${v}`,
  pending_review: (v) => `sent ${v} to review`,
  awaiting_metrics: (v) => `kept ${v} waiting for metrics`,
};

export function dryRunPolicy(
  db: Db,
  actor: Actor,
  input: { model: string; environment: string; source: string },
) {
  requirePermission(actor, "policies:write");
  const checked = validatePolicySource(db, input.source);
  if (!checked.ok) {
    throw badRequest("policy", "Fix the policy's errors before a dry run.", checked.errors);
  }
  const model = getModelOrThrow(db, input.model);
  const environment = getEnvironmentOrThrow(db, input.environment);
  const versions = listVersionsOfModel(db, model.id).slice(0, DRY_RUN_VERSIONS);
  const metricRows = listMetricsOfVersions(
    db,
    versions.map((v) => v.id),
  );
  const live = liveVersionOf(db, model.id, environment.id);

  const rows: DryRunRow[] = versions.map((v) => {
    const values = summaryValues(metricRows.filter((m) => m.versionId === v.id));
    const evaluation = evaluatePolicy(checked.policy, values, baselineFor(live, v.id));
    return {
      version: v.number,
      outcome: evaluation.outcome,
      reason: describeEvaluation(evaluation),
    };
  });
  return { rows, summary: summarise(rows), liveVersion: live?.number ?? null };
}

/** "would have approved v3 and v5, rejected v4, sent v6 to review" */
export function summarise(rows: DryRunRow[]): string {
  if (rows.length === 0) return "This model has no versions to try the policy on.";
  const parts = (Object.keys(PHRASE) as DryRunRow["outcome"][]).flatMap((outcome) => {
    const numbers = rows
      .filter((r) => r.outcome === outcome)
      .map((r) => `v${r.version}`)
      .reverse();
    if (numbers.length === 0) return [];
    const list =
      numbers.length === 1
        ? numbers[0]
        : `${numbers.slice(0, -1).join(", ")} and ${numbers[numbers.length - 1]}`;
    return [PHRASE[outcome](list ?? "")];
  });
  const versions = `${rows.length} version${rows.length === 1 ? "" : "s"}`;
  return `Against the last ${versions} this policy would have ${parts.join(", ")}.`;
}
