import { describe, expect, it } from "vitest";
import { checkCondition, parseCondition, type Condition } from "@/lib/policy/condition";
import { describeEvaluation, evaluatePolicy } from "@/lib/policy/evaluate-policy";
import { parsePolicy } from "@/lib/policy/parse-policy";
import type { Policy } from "@/lib/policy/policy";

function policy(source: string): Policy {
  const result = parsePolicy(source);
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  return result.policy;
}

function condition(text: string): Condition {
  const c = parseCondition(text);
  if ("error" in c) throw new Error(c.error);
  return c;
}

describe("conditions", () => {
  it("holds at exactly the threshold for >=", () => {
    expect(checkCondition(condition("accuracy >= 0.9"), 0.9).holds).toBe(true);
  });

  it("does not hold at exactly the threshold for >", () => {
    expect(checkCondition(condition("accuracy > 0.9"), 0.9).holds).toBe(false);
  });

  it("holds at exactly the threshold for <= and not for <", () => {
    expect(checkCondition(condition("latency_p95_ms <= 200"), 200).holds).toBe(true);
    expect(checkCondition(condition("latency_p95_ms < 200"), 200).holds).toBe(false);
  });

  it("compares == and != by value", () => {
    expect(checkCondition(condition("drift == 0"), 0).holds).toBe(true);
    expect(checkCondition(condition("drift != 0"), 0).holds).toBe(false);
  });

  it.each([
    ["NaN", Number.NaN],
    ["Infinity", Number.POSITIVE_INFINITY],
    ["-Infinity", Number.NEGATIVE_INFINITY],
    ["a missing value", undefined],
  ])("never holds for %s, and reports the value as null", (_label, actual) => {
    for (const text of ["accuracy >= 0.9", "accuracy < 0.9", "accuracy != 0.9"]) {
      const result = checkCondition(condition(text), actual);
      expect(result.holds).toBe(false);
      expect(result.actual).toBeNull();
    }
  });
});

describe("evaluatePolicy", () => {
  const gate = policy("auto_approve: [accuracy >= 0.9]\n");

  it("approves a value exactly at a >= threshold", () => {
    expect(evaluatePolicy(gate, { accuracy: 0.9 }).outcome).toBe("approved");
  });

  it("sends a value exactly at a > threshold to review", () => {
    const strict = policy("auto_approve: [accuracy > 0.9]\n");
    const evaluation = evaluatePolicy(strict, { accuracy: 0.9 });
    expect(evaluation.outcome).toBe("pending_review");
    expect(describeEvaluation(evaluation)).toBe(
      "waiting for review (auto-approval not met: accuracy > 0.9 (was 0.9))",
    );
  });

  it.each([
    ["NaN", Number.NaN],
    ["Infinity", Number.POSITIVE_INFINITY],
  ])("never auto-approves on %s", (_label, value) => {
    expect(evaluatePolicy(gate, { accuracy: value }).outcome).toBe("pending_review");
  });

  it("never auto-approves when the metric of a threshold is missing", () => {
    const evaluation = evaluatePolicy(gate, { auc: 0.99 });
    expect(evaluation.outcome).toBe("pending_review");
    expect(describeEvaluation(evaluation)).toContain("accuracy >= 0.9 (was missing)");
  });

  it("never auto-rejects on a NaN, an Infinity or a missing value", () => {
    const floor = policy("auto_reject: [accuracy < 0.5]\n");
    expect(evaluatePolicy(floor, { accuracy: Number.NaN }).outcome).toBe("pending_review");
    expect(evaluatePolicy(floor, { accuracy: Number.NEGATIVE_INFINITY }).outcome).toBe(
      "pending_review",
    );
    expect(evaluatePolicy(floor, {}).outcome).toBe("pending_review");
  });

  it("waits for a missing required metric, naming it", () => {
    const p = policy("required_metrics: [accuracy, auc]\nauto_approve: [accuracy >= 0.9]\n");
    const evaluation = evaluatePolicy(p, { accuracy: 0.95 });
    expect(evaluation).toEqual({ outcome: "awaiting_metrics", missing: ["auc"] });
    expect(describeEvaluation(evaluation)).toBe("waiting for required metrics: auc");
  });

  it("names every missing required metric", () => {
    const p = policy("required_metrics: [accuracy, auc]\n");
    expect(describeEvaluation(evaluatePolicy(p, {}))).toBe(
      "waiting for required metrics: accuracy, auc",
    );
  });

  it("treats a non-finite required metric as missing", () => {
    const p = policy("required_metrics: [accuracy]\n");
    expect(evaluatePolicy(p, { accuracy: Number.NaN })).toEqual({
      outcome: "awaiting_metrics",
      missing: ["accuracy"],
    });
  });

  it("lets a broken floor win over auto-approval", () => {
    const p = policy("auto_approve: [accuracy >= 0.9]\nauto_reject: [latency_p95_ms > 500]\n");
    const evaluation = evaluatePolicy(p, { accuracy: 0.99, latency_p95_ms: 900 });
    expect(evaluation.outcome).toBe("rejected");
    expect(describeEvaluation(evaluation)).toBe(
      "rejected by policy: latency_p95_ms > 500 (was 900)",
    );
  });

  it("does not approve automatically while a floor's metric is missing", () => {
    const p = policy("auto_approve: [accuracy >= 0.9]\nauto_reject: [latency_p95_ms > 500]\n");
    const evaluation = evaluatePolicy(p, { accuracy: 0.99 });
    expect(evaluation.outcome).toBe("pending_review");
    expect(describeEvaluation(evaluation)).toContain(
      "floor not checked: latency_p95_ms > 500 (was missing)",
    );
  });

  it("approves only when every auto-approve threshold holds", () => {
    const p = policy("auto_approve: [accuracy >= 0.9, auc >= 0.95]\n");
    expect(evaluatePolicy(p, { accuracy: 0.95, auc: 0.9 }).outcome).toBe("pending_review");
    expect(evaluatePolicy(p, { accuracy: 0.95, auc: 0.96 }).outcome).toBe("approved");
  });

  it("sends everything to review when the policy has no automatic rules", () => {
    const evaluation = evaluatePolicy(policy(""), { accuracy: 1 });
    expect(evaluation.outcome).toBe("pending_review");
    expect(describeEvaluation(evaluation)).toBe("waiting for review");
  });

  it("describes an automatic approval with the values it saw", () => {
    expect(describeEvaluation(evaluatePolicy(gate, { accuracy: 0.93 }))).toBe(
      "approved by policy: accuracy >= 0.9 (was 0.93)",
    );
  });
});
