// What a policy's automatic rules say about a version's metrics. Pure: the
// caller loads the metrics (and those of the version live in the
// environment) and records the outcome.
import { checkCondition, type ConditionResult } from "./condition";
import type { Comparison, Policy } from "./policy";

export type MetricValues = Record<string, number>;

export type ComparisonResult = Comparison & {
  actual: number | null;
  /** The live version's value; null when it lacks the metric or nothing is live. */
  baseline: number | null;
  /** True when nothing is deployed yet: there is nothing to compare with. */
  skipped: boolean;
  holds: boolean;
};

type Checks = {
  approveChecks: ConditionResult[];
  rejectChecks: ConditionResult[];
  compareChecks: ComparisonResult[];
};

export type Evaluation =
  | { outcome: "awaiting_metrics"; missing: string[] }
  | ({ outcome: "rejected" | "approved" | "pending_review" } & Checks);

// Differences of decimals are not exact in binary floating point
// (0.97 - 0.96 > 0.01); a drop within this margin of the limit is allowed.
const EPSILON = 1e-9;

function finite(v: number | undefined): number | null {
  return v !== undefined && Number.isFinite(v) ? v : null;
}

export function checkComparison(
  c: Comparison,
  values: MetricValues,
  deployed: MetricValues | null,
): ComparisonResult {
  const actual = finite(values[c.metric]);
  if (deployed === null) return { ...c, actual, baseline: null, skipped: true, holds: true };
  const baseline = finite(deployed[c.metric]);
  if (actual === null || baseline === null) {
    return { ...c, actual, baseline, skipped: false, holds: false };
  }
  const change = c.direction === "drop" ? baseline - actual : actual - baseline;
  return { ...c, actual, baseline, skipped: false, holds: change <= c.limit + EPSILON };
}

export function evaluatePolicy(
  policy: Policy,
  values: MetricValues,
  deployed: MetricValues | null = null,
): Evaluation {
  const missing = policy.requiredMetrics.filter((name) => !Number.isFinite(values[name]));
  if (missing.length > 0) return { outcome: "awaiting_metrics", missing };

  const checks: Checks = {
    approveChecks: policy.autoApprove.map((c) => checkCondition(c, values[c.metric])),
    rejectChecks: policy.autoReject.map((c) => checkCondition(c, values[c.metric])),
    compareChecks: policy.compareToDeployed.map((c) => checkComparison(c, values, deployed)),
  };
  // A broken hard floor, or a measured regression against the live version,
  // wins over everything else.
  const regressed = checks.compareChecks.some(
    (c) => !c.holds && c.actual !== null && c.baseline !== null,
  );
  if (checks.rejectChecks.some((r) => r.holds) || regressed) {
    return { outcome: "rejected", ...checks };
  }
  // Fail closed: a floor or comparison that could not be checked blocks
  // automatic approval.
  const floorsKnown = checks.rejectChecks.every((r) => r.actual !== null);
  const comparisonsHold = checks.compareChecks.every((c) => c.holds);
  const { approveChecks } = checks;
  if (
    floorsKnown &&
    comparisonsHold &&
    approveChecks.length > 0 &&
    approveChecks.every((r) => r.holds)
  ) {
    return { outcome: "approved", ...checks };
  }
  return { outcome: "pending_review", ...checks };
}

/** One sentence a pipeline log or the dashboard can show. */
export function describeEvaluation(e: Evaluation): string {
  switch (e.outcome) {
    case "awaiting_metrics":
      return `waiting for required metrics: ${e.missing.join(", ")}`;
    case "rejected": {
      const broken = [
        ...e.rejectChecks.filter((c) => c.holds).map(describeCheck),
        ...e.compareChecks.filter((c) => !c.holds).map(describeComparison),
      ];
      return `rejected by policy: ${broken.join("; ")}`;
    }
    case "approved":
      return `approved by policy: ${[
        ...e.approveChecks.map(describeCheck),
        ...e.compareChecks.map(describeComparison),
      ].join("; ")}`;
    case "pending_review": {
      const unmet = e.approveChecks.filter((c) => !c.holds);
      const unchecked = e.rejectChecks.filter((c) => c.actual === null);
      const uncompared = e.compareChecks.filter((c) => !c.holds);
      const why = [
        ...(unmet.length > 0
          ? [`auto-approval not met: ${unmet.map(describeCheck).join("; ")}`]
          : []),
        ...(unchecked.length > 0
          ? [`floor not checked: ${unchecked.map(describeCheck).join("; ")}`]
          : []),
        ...(uncompared.length > 0
          ? [`not compared: ${uncompared.map(describeComparison).join("; ")}`]
          : []),
      ];
      return why.length > 0 ? `waiting for review (${why.join("; ")})` : "waiting for review";
    }
  }
}

function describeCheck(c: ConditionResult): string {
  return `${c.text} (was ${c.actual === null ? "missing" : c.actual})`;
}

function describeComparison(c: ComparisonResult): string {
  if (c.skipped) return `${c.text} (no other version is live to compare with)`;
  const seen = (v: number | null) => (v === null ? "missing" : String(v));
  return `${c.text} (was ${seen(c.actual)}, deployed ${seen(c.baseline)})`;
}
