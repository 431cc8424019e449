// What a policy's automatic rules say about a version's metrics. Pure: the
// caller loads the metrics and records the outcome.
import { checkCondition, type ConditionResult } from "./condition";
import type { Policy } from "./policy";

export type MetricValues = Record<string, number>;

type Checks = { approveChecks: ConditionResult[]; rejectChecks: ConditionResult[] };

export type Evaluation =
  | { outcome: "awaiting_metrics"; missing: string[] }
  | ({ outcome: "rejected" | "approved" | "pending_review" } & Checks);

export function evaluatePolicy(policy: Policy, values: MetricValues): Evaluation {
  const missing = policy.requiredMetrics.filter((name) => !Number.isFinite(values[name]));
  if (missing.length > 0) return { outcome: "awaiting_metrics", missing };

  const checks: Checks = {
    approveChecks: policy.autoApprove.map((c) => checkCondition(c, values[c.metric])),
    rejectChecks: policy.autoReject.map((c) => checkCondition(c, values[c.metric])),
  };
  // A broken hard floor wins over everything else.
  if (checks.rejectChecks.some((r) => r.holds)) return { outcome: "rejected", ...checks };
  const { approveChecks } = checks;
  // Fail closed: a floor that could not be checked blocks automatic approval.
  const floorsKnown = checks.rejectChecks.every((r) => r.actual !== null);
  if (floorsKnown && approveChecks.length > 0 && approveChecks.every((r) => r.holds)) {
    return { outcome: "approved", ...checks };
  }
  return { outcome: "pending_review", ...checks };
}

/** One sentence a pipeline log or the dashboard can show. */
export function describeEvaluation(e: Evaluation): string {
  switch (e.outcome) {
    case "awaiting_metrics":
      return `waiting for required metrics: ${e.missing.join(", ")}`;
    case "rejected":
      return `rejected by policy: ${listChecks(e.rejectChecks.filter((c) => c.holds))}`;
    case "approved":
      return `approved by policy: ${listChecks(e.approveChecks)}`;
    case "pending_review": {
      const unmet = e.approveChecks.filter((c) => !c.holds);
      const unchecked = e.rejectChecks.filter((c) => c.actual === null);
      const why = [
        ...(unmet.length > 0 ? [`auto-approval not met: ${listChecks(unmet)}`] : []),
        ...(unchecked.length > 0 ? [`floor not checked: ${listChecks(unchecked)}`] : []),
      ];
      return why.length > 0 ? `waiting for review (${why.join("; ")})` : "waiting for review";
    }
  }
}

function listChecks(checks: ConditionResult[]): string {
  return checks
    .map((c) => `${c.text} (was ${c.actual === null ? "missing" : c.actual})`)
    .join("; ");
}
