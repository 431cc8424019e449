// A policy's conditions as thresholds a reviewer reads: for each one, the
// value seen and whether the version is on the good side of it.
import { checkCondition, type Condition, type Operator } from "./condition";
import type { Policy } from "./policy";

export type ThresholdCheck = {
  kind: "auto_approve" | "floor";
  text: string;
  metric: string;
  op: Operator;
  value: number;
  actual: number | null;
  /** null when the metric is missing: neither good nor bad yet. */
  pass: boolean | null;
};

function toCheck(
  kind: ThresholdCheck["kind"],
  c: Condition,
  actual: number | undefined,
): ThresholdCheck {
  const result = checkCondition(c, actual);
  const known = result.actual !== null;
  // A floor is written as the rejecting condition: passing means it does not hold.
  const pass = !known ? null : kind === "floor" ? !result.holds : result.holds;
  return {
    kind,
    text: kind === "floor" ? `reject if ${c.text}` : c.text,
    metric: c.metric,
    op: c.op,
    value: c.value,
    actual: result.actual,
    pass,
  };
}

export function thresholdChecks(policy: Policy, values: Record<string, number>): ThresholdCheck[] {
  return [
    ...policy.autoApprove.map((c) => toCheck("auto_approve", c, values[c.metric])),
    ...policy.autoReject.map((c) => toCheck("floor", c, values[c.metric])),
  ];
}
