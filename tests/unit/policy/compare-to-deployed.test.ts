// compare_to_deployed: a candidate judged against the version live in the
// environment. A measured regression rejects, a missing value blocks
// automatic approval, and with nothing deployed the comparison is skipped.
import { describe, expect, it } from "vitest";
import { describeEvaluation, evaluatePolicy } from "@/lib/policy/evaluate-policy";
import { parsePolicy } from "@/lib/policy/parse-policy";
import type { Policy } from "@/lib/policy/policy";
import { thresholdChecks } from "@/lib/policy/thresholds";
import { gateWorlds } from "../helpers/gate-world";

function policy(source: string): Policy {
  const result = parsePolicy(source);
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  return result.policy;
}

const AUC_DROP = policy(`
auto_approve: [auc >= 0.8]
compare_to_deployed:
  - metric: auc
    max_drop: 0.02
`);

const LATENCY_RISE = policy(`
auto_approve: [auc >= 0.8]
compare_to_deployed:
  - metric: latency_p95_ms
    max_rise: 20
`);

describe("parsing compare_to_deployed", () => {
  it("reads max_drop and max_rise into comparisons with readable text", () => {
    expect(AUC_DROP.compareToDeployed).toEqual([
      {
        metric: "auc",
        direction: "drop",
        limit: 0.02,
        text: "auc drops at most 0.02 below the deployed version",
      },
    ]);
    expect(LATENCY_RISE.compareToDeployed[0]).toMatchObject({ direction: "rise", limit: 20 });
  });

  it("refuses a comparison with both max_drop and max_rise", () => {
    const result = parsePolicy(
      "compare_to_deployed:\n  - metric: auc\n    max_drop: 0.1\n    max_rise: 0.1\n",
    );
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors[0]).toMatchObject({ field: "compare_to_deployed.0", line: 2 });
    expect(result.errors[0]?.message).toContain("exactly one of max_drop or max_rise");
  });

  it("refuses a negative limit", () => {
    const result = parsePolicy("compare_to_deployed:\n  - metric: auc\n    max_drop: -0.1\n");
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors[0]).toMatchObject({
      field: "compare_to_deployed.0.max_drop",
      rule: "too_small",
      line: 3,
    });
  });

  it("refuses a comparison list given as a single mapping", () => {
    const result = parsePolicy("compare_to_deployed:\n  metric: auc\n  max_drop: 0.1\n");
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors[0]).toMatchObject({ field: "compare_to_deployed", line: 2 });
  });
});

describe("evaluating against the deployed version", () => {
  it("skips the comparison when nothing is deployed", () => {
    const evaluation = evaluatePolicy(AUC_DROP, { auc: 0.85 }, null);
    expect(evaluation.outcome).toBe("approved");
    expect(describeEvaluation(evaluation)).toBe(
      "approved by policy: auc >= 0.8 (was 0.85); " +
        "auc drops at most 0.02 below the deployed version (no other version is live to compare with)",
    );
  });

  it("rejects a measured drop beyond max_drop, naming both values", () => {
    const evaluation = evaluatePolicy(AUC_DROP, { auc: 0.85 }, { auc: 0.9 });
    expect(evaluation.outcome).toBe("rejected");
    expect(describeEvaluation(evaluation)).toBe(
      "rejected by policy: auc drops at most 0.02 below the deployed version (was 0.85, deployed 0.9)",
    );
  });

  it("allows a drop of exactly max_drop despite floating point", () => {
    // 0.97 - 0.96 is 0.010000000000000009 in binary floating point.
    const p = policy(
      "auto_approve: [auc >= 0.5]\ncompare_to_deployed: [{metric: auc, max_drop: 0.01}]\n",
    );
    expect(evaluatePolicy(p, { auc: 0.96 }, { auc: 0.97 }).outcome).toBe("approved");
  });

  it("approves an improvement over the deployed version", () => {
    expect(evaluatePolicy(AUC_DROP, { auc: 0.95 }, { auc: 0.9 }).outcome).toBe("approved");
  });

  it("rejects a rise beyond max_rise and allows one within it", () => {
    expect(
      evaluatePolicy(LATENCY_RISE, { auc: 0.9, latency_p95_ms: 130 }, { latency_p95_ms: 100 })
        .outcome,
    ).toBe("rejected");
    expect(
      evaluatePolicy(LATENCY_RISE, { auc: 0.9, latency_p95_ms: 120 }, { latency_p95_ms: 100 })
        .outcome,
    ).toBe("approved");
  });

  it("sends a candidate missing the compared metric to review instead of approving it", () => {
    const evaluation = evaluatePolicy(LATENCY_RISE, { auc: 0.9 }, { latency_p95_ms: 100 });
    expect(evaluation.outcome).toBe("pending_review");
    expect(describeEvaluation(evaluation)).toBe(
      "waiting for review (not compared: latency_p95_ms rises at most 20 above the deployed " +
        "version (was missing, deployed 100))",
    );
  });

  it("sends a candidate to review when the deployed version lacks the metric", () => {
    const evaluation = evaluatePolicy(AUC_DROP, { auc: 0.9 }, { accuracy: 0.9 });
    expect(evaluation.outcome).toBe("pending_review");
    expect(describeEvaluation(evaluation)).toContain("(was 0.9, deployed missing)");
  });

  it("never lets a NaN candidate pass a comparison", () => {
    const evaluation = evaluatePolicy(AUC_DROP, { auc: Number.NaN }, { auc: 0.9 });
    expect(evaluation.outcome).toBe("pending_review");
  });

  it("rejects on a regression even when every auto-approve threshold holds", () => {
    const evaluation = evaluatePolicy(AUC_DROP, { auc: 0.81 }, { auc: 0.99 });
    expect(evaluation.outcome).toBe("rejected");
    if (evaluation.outcome === "awaiting_metrics") return;
    expect(evaluation.approveChecks.every((c) => c.holds)).toBe(true);
  });

  it("shows the reviewer the deployed value minus the allowed drop as a threshold", () => {
    const [, compare] = thresholdChecks(AUC_DROP, { auc: 0.85 }, { auc: 0.9 });
    expect(compare).toMatchObject({
      kind: "compare",
      text: "auc >= live − 0.02",
      op: ">=",
      actual: 0.85,
      pass: false,
    });
    expect(compare?.value).toBeCloseTo(0.88, 12);
  });
});

describe("requests judged against the version deployed in their environment", () => {
  const newWorld = gateWorlds();
  const POLICY = `
auto_approve: [auc >= 0.8]
compare_to_deployed:
  - metric: auc
    max_drop: 0.02
`;

  /** v1 approved by the policy and deployed to production; returns the world. */
  function withV1Deployed(auc = 0.9) {
    const w = newWorld();
    w.policy(POLICY);
    w.register({ auc });
    expect(w.ask(1).status).toBe("approved");
    w.deploy(1);
    return w;
  }

  it("approves the first version with the comparison skipped, and says so in the evidence", () => {
    const w = newWorld();
    w.policy(POLICY);
    w.register({ auc: 0.85 });
    const request = w.ask(1);
    expect(request.status).toBe("approved");
    expect(w.decisions(request.id)[0]?.evidence).toMatchObject({
      policy_revision: 1,
      values: { auc: 0.85 },
      comparisons: [
        {
          comparison: "auc drops at most 0.02 below the deployed version",
          actual: 0.85,
          deployed: null,
          skipped: true,
          holds: true,
        },
      ],
      deployed_version: null,
    });
  });

  it("rejects a newer version that drops beyond the limit, recording both values", () => {
    const w = withV1Deployed(0.9);
    w.register({ auc: 0.85 });
    const request = w.ask(2);
    expect(request.status).toBe("rejected");
    expect(w.status(2)).toMatchObject({
      status: "rejected",
      final: true,
      on_reject: "fail_pipeline",
      reason:
        "rejected by policy: auc drops at most 0.02 below the deployed version " +
        "(was 0.85, deployed 0.9)",
    });
    const [decision] = w.decisions(request.id);
    expect(decision).toMatchObject({ userId: null, decision: "reject" });
    expect(decision?.evidence).toMatchObject({
      policy_revision: 1,
      values: { auc: 0.85 },
      checks: [{ condition: "auc >= 0.8", actual: 0.85, holds: true }],
      comparisons: [{ actual: 0.85, deployed: 0.9, skipped: false, holds: false }],
      deployed_version: 1,
    });
  });

  it("approves a newer version within the limit", () => {
    const w = withV1Deployed(0.9);
    w.register({ auc: 0.89 });
    expect(w.ask(2).status).toBe("approved");
    expect(w.status(2).decisions[0]?.evidence).toMatchObject({
      comparisons: [{ actual: 0.89, deployed: 0.9, holds: true }],
      deployed_version: 1,
    });
  });

  it("sends a newer version without the compared metric to review", () => {
    const w = withV1Deployed(0.9);
    w.register({ accuracy: 0.99 });
    expect(w.ask(2).status).toBe("pending_review");
    expect(w.status(2).reason).toBe(
      "waiting for review (auto-approval not met: auc >= 0.8 (was missing); not compared: " +
        "auc drops at most 0.02 below the deployed version (was missing, deployed 0.9))",
    );
  });

  it("rejects a regression measured when a required metric arrives late", () => {
    const w = withV1Deployed(0.9);
    w.policy(`required_metrics: [auc]\n${POLICY}`);
    w.register();
    const request = w.ask(2);
    expect(request.status).toBe("awaiting_metrics");
    w.addMetrics(2, { auc: 0.8 });
    expect(w.request(request.id).status).toBe("rejected");
    expect(w.decisions(request.id)[0]?.evidence).toMatchObject({
      policy_revision: 2,
      comparisons: [{ actual: 0.8, deployed: 0.9, holds: false }],
      deployed_version: 1,
    });
  });

  it("compares with the version deployed in the request's environment only", () => {
    const w = withV1Deployed(0.9);
    w.policy(POLICY, "staging");
    w.register({ auc: 0.85 });
    // Nothing is deployed in staging, so staging skips the comparison.
    expect(w.ask(2, "staging").status).toBe("approved");
    expect(w.ask(2, "production").status).toBe("rejected");
  });

  it("compares with the newest deployment after a rollback", () => {
    const w = withV1Deployed(0.9);
    w.register({ auc: 0.95 });
    expect(w.ask(2).status).toBe("approved");
    w.deploy(2);
    w.register({ auc: 0.92 });
    // v2 (0.95) is live: 0.92 is a drop of 0.03.
    expect(w.ask(3).status).toBe("rejected");
    w.deploy(1);
    w.register({ auc: 0.92 });
    // v1 (0.9) is live again: 0.92 is an improvement.
    expect(w.ask(4).status).toBe("approved");
  });
});
