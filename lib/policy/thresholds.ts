// A policy's conditions as thresholds a reviewer reads: for each one, the
// value seen and whether the version is on the good side of it.
import { checkCondition, type Condition, type Operator } from "./condition";
import { checkComparison, type MetricValues } from "./evaluate-policy";
import type { Policy } from "./policy";

export type ThresholdCheck = {
  kind: "auto_approve" | "floor" | "compare";
  text: string;
  metric: string;
  op: Operator;
  value: number;
  actual: number | null;
  /** null when the metric is missing: neither good nor bad yet. */
  pass: boolean | null;
};

const NEGATION: Record<Operator, Operator> = {
  ">": "<=",
  ">=": "<",
  "<": ">=",
  "<=": ">",
  "==": "!=",
  "!=": "==",
};

function toCheck(
  kind: "auto_approve" | "floor",
  c: Condition,
  actual: number | undefined,
): ThresholdCheck {
  const result = checkCondition(c, actual);
  const known = result.actual !== null;
  // A floor is written as the rejecting condition: passing means it does not hold.
  const pass = !known ? null : kind === "floor" ? !result.holds : result.holds;
  // Shown as what must hold ("floor: accuracy >= 0.9"), not as the rejecting condition.
  const op = kind === "floor" ? NEGATION[c.op] : c.op;
  const text = kind === "floor" ? `floor: ${c.metric} ${op} ${c.value}` : c.text;
  return { kind, text, metric: c.metric, op, value: c.value, actual: result.actual, pass };
}

export function thresholdChecks(
  policy: Policy,
  values: MetricValues,
  deployed: MetricValues | null = null,
): ThresholdCheck[] {
  const comparisons = policy.compareToDeployed.flatMap((c): ThresholdCheck[] => {
    const r = checkComparison(c, values, deployed);
    if (r.skipped || r.baseline === null) return [];
    const drop = c.direction === "drop";
    const value = drop ? r.baseline - c.limit : r.baseline + c.limit;
    return [
      {
        kind: "compare",
        text: `${c.metric} ${drop ? ">=" : "<="} live ${drop ? "−" : "+"} ${c.limit}`,
        metric: c.metric,
        op: drop ? ">=" : "<=",
        value,
        actual: r.actual,
        pass: r.actual === null ? null : r.holds,
      },
    ];
  });
  return [
    ...policy.autoApprove.map((c) => toCheck("auto_approve", c, values[c.metric])),
    ...policy.autoReject.map((c) => toCheck("floor", c, values[c.metric])),
    ...comparisons,
  ];
}
