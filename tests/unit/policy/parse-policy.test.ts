import { describe, expect, it } from "vitest";
import { parsePolicy, type ParseResult } from "@/lib/policy/parse-policy";
import { DEFAULT_POLICY, DEFAULT_POLICY_SOURCE } from "@/lib/policy/policy";

function errorsOf(result: ParseResult) {
  if (result.ok) throw new Error("expected the policy to be refused");
  return result.errors;
}

function policyOf(result: ParseResult) {
  if (!result.ok) throw new Error(`expected the policy to parse: ${JSON.stringify(result.errors)}`);
  return result.policy;
}

describe("parsePolicy accepts valid policies", () => {
  it("parses a full policy with durations turned into milliseconds", () => {
    const policy = policyOf(
      parsePolicy(`
required_metrics: [accuracy, latency_p95_ms]
auto_approve:
  - accuracy >= 0.95
auto_reject:
  - accuracy < 0.5
approvals:
  - name: ml leads
    approvers: [role:lead, alice@example.com]
    count: 2
allow_self_approval: true
expires_after: 72h
on_reject: continue
`),
    );
    expect(policy.requiredMetrics).toEqual(["accuracy", "latency_p95_ms"]);
    expect(policy.autoApprove).toEqual([
      { metric: "accuracy", op: ">=", value: 0.95, text: "accuracy >= 0.95" },
    ]);
    expect(policy.autoReject).toEqual([
      { metric: "accuracy", op: "<", value: 0.5, text: "accuracy < 0.5" },
    ]);
    expect(policy.approvals).toEqual([
      { name: "ml leads", approvers: ["role:lead", "alice@example.com"], count: 2 },
    ]);
    expect(policy.allowSelfApproval).toBe(true);
    expect(policy.expiresAfterMs).toBe(72 * 60 * 60 * 1000);
    expect(policy.onReject).toBe("continue");
  });

  it("turns minutes and days into milliseconds too", () => {
    expect(policyOf(parsePolicy("expires_after: 30m")).expiresAfterMs).toBe(30 * 60_000);
    expect(policyOf(parsePolicy("expires_after: 3d")).expiresAfterMs).toBe(3 * 86_400_000);
  });

  it("fills defaults for everything an empty policy leaves out", () => {
    const policy = policyOf(parsePolicy(""));
    expect(policy).toEqual({
      requiredMetrics: [],
      autoApprove: [],
      autoReject: [],
      compareToDeployed: [],
      approvals: [{ name: "rule 1", approvers: ["role:reviewer"], count: 1 }],
      allowSelfApproval: false,
      expiresAfterMs: null,
      onReject: "fail_pipeline",
    });
  });

  it("names unnamed approval rules by their position and defaults count to 1", () => {
    const policy = policyOf(
      parsePolicy("approvals:\n  - approvers: [role:reviewer]\n  - approvers: [role:lead]\n"),
    );
    expect(policy.approvals.map((r) => [r.name, r.count])).toEqual([
      ["rule 1", 1],
      ["rule 2", 1],
    ]);
  });

  it("parses the built-in default source to the built-in default policy", () => {
    expect(policyOf(parsePolicy(DEFAULT_POLICY_SOURCE))).toEqual(DEFAULT_POLICY);
  });

  it("reads conditions written without spaces around the operator", () => {
    const policy = policyOf(parsePolicy("auto_approve: [accuracy>=0.9, loss <0.2, auc> 0.8]\n"));
    expect(policy.autoApprove.map((c) => c.text)).toEqual([
      "accuracy >= 0.9",
      "loss < 0.2",
      "auc > 0.8",
    ]);
  });

  it("accepts group approvers", () => {
    const policy = policyOf(parsePolicy("approvals:\n  - approvers: [group:ml-platform]\n"));
    expect(policy.approvals[0]?.approvers).toEqual(["group:ml-platform"]);
  });
});

describe("parsePolicy refuses wrong shapes with the field, the rule and the line", () => {
  it("refuses an approver list given as a string, saying it must be a list", () => {
    const errors = errorsOf(
      parsePolicy("approvals:\n  - name: review\n    approvers: bob\n    count: 1\n"),
    );
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ field: "approvals.0.approvers", line: 3 });
    expect(errors[0]?.message).toContain("approvals.0.approvers");
    expect(errors[0]?.message).toContain("must be a list, not a string");
    expect(errors[0]?.message).toContain("[bob]");
  });

  it("refuses an unknown operator with rule unknown_operator", () => {
    const errors = errorsOf(parsePolicy("auto_approve:\n  - accuracy => 0.9\n"));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ field: "auto_approve.0", rule: "unknown_operator", line: 2 });
    expect(errors[0]?.message).toContain('"=>"');
  });

  it("refuses a condition whose threshold is not a number", () => {
    const errors = errorsOf(parsePolicy("auto_reject:\n  - accuracy < high\n"));
    expect(errors[0]).toMatchObject({ field: "auto_reject.0", rule: "finite_number" });
  });

  it("refuses a condition that is not metric-operator-number", () => {
    const errors = errorsOf(parsePolicy("auto_approve:\n  - accuracy >= 0.9 or better\n"));
    expect(errors[0]).toMatchObject({ field: "auto_approve.0", rule: "condition_syntax" });
  });

  it("refuses a lone word as a condition with a syntax error, not an operator error", () => {
    const errors = errorsOf(parsePolicy("auto_approve:\n  - accuracy\n"));
    expect(errors[0]?.rule).toBe("condition_syntax");
  });

  it("refuses a condition list given as a single string", () => {
    const errors = errorsOf(parsePolicy("auto_approve: accuracy > 0.9\n"));
    expect(errors[0]).toMatchObject({ field: "auto_approve", line: 1 });
    expect(errors[0]?.message).toContain("must be a list of conditions");
  });

  it("refuses an approval count of 0", () => {
    const errors = errorsOf(
      parsePolicy("approvals:\n  - approvers: [role:reviewer]\n    count: 0\n"),
    );
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ field: "approvals.0.count", line: 3 });
    expect(errors[0]?.message).toContain("at least 1");
  });

  it("refuses a fractional approval count", () => {
    const errors = errorsOf(
      parsePolicy("approvals:\n  - approvers: [role:reviewer]\n    count: 1.5\n"),
    );
    expect(errors[0]).toMatchObject({ field: "approvals.0.count" });
    expect(errors[0]?.message).toContain("whole number");
  });

  it("refuses an empty approver list", () => {
    const errors = errorsOf(parsePolicy("approvals:\n  - approvers: []\n"));
    expect(errors[0]).toMatchObject({ field: "approvals.0.approvers" });
    expect(errors[0]?.message).toContain("at least one approver");
  });

  it("refuses an unknown top-level key, naming the key and its line", () => {
    const errors = errorsOf(
      parsePolicy("approvals:\n  - approvers: [role:lead]\nauto_aprove: []\n"),
    );
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ rule: "unknown_key", line: 3 });
    expect(errors[0]?.message).toContain("auto_aprove");
  });

  it("refuses an unknown key inside an approval rule, naming the rule's field", () => {
    const errors = errorsOf(parsePolicy("approvals:\n  - approvers: [role:lead]\n    quorum: 2\n"));
    expect(errors[0]).toMatchObject({ field: "approvals.0.quorum", rule: "unknown_key", line: 3 });
    expect(errors[0]?.message).toContain("quorum");
  });

  it("refuses invalid YAML with rule yaml_syntax and a line number", () => {
    const errors = errorsOf(parsePolicy("approvals:\n  - approvers: [role:lead\n    count: 1\n"));
    expect(errors.length).toBeGreaterThan(0);
    expect(errors[0]?.rule).toBe("yaml_syntax");
    expect(errors[0]?.field).toBe("(yaml)");
    expect(errors[0]?.line).toBe(3);
  });

  it("refuses a document that is not a mapping", () => {
    const errors = errorsOf(parsePolicy("- accuracy > 0.9\n"));
    expect(errors[0]).toMatchObject({ field: "(policy)", rule: "type", line: 1 });
  });

  it("refuses an unknown role, listing the roles that exist", () => {
    const errors = errorsOf(parsePolicy("approvals:\n  - approvers: [role:owner]\n"));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ field: "approvals.0.approvers.0", line: 2 });
    expect(errors[0]?.message).toContain("unknown role");
    expect(errors[0]?.message).toContain("reviewer");
  });

  it("refuses an approver that is neither a role, a group nor an email", () => {
    const errors = errorsOf(parsePolicy("approvals:\n  - approvers: [bob]\n"));
    expect(errors[0]).toMatchObject({ field: "approvals.0.approvers.0" });
    expect(errors[0]?.message).toContain("role:<role>, group:<name> or an email");
  });

  it("refuses a duration without a unit", () => {
    const errors = errorsOf(parsePolicy("expires_after: 72\n"));
    expect(errors[0]).toMatchObject({ field: "expires_after", line: 1 });
    expect(errors[0]?.message).toContain("duration");
  });

  it("refuses a zero duration instead of silently never expiring", () => {
    const errors = errorsOf(parsePolicy("expires_after: 0h\n"));
    expect(errors[0]).toMatchObject({ field: "expires_after" });
  });

  it("refuses an unknown on_reject action, listing the allowed ones", () => {
    const errors = errorsOf(parsePolicy("on_reject: retry\n"));
    expect(errors[0]).toMatchObject({ field: "on_reject" });
    expect(errors[0]?.message).toContain("fail_pipeline, continue");
  });

  it("refuses allow_self_approval given as a string", () => {
    const errors = errorsOf(parsePolicy('allow_self_approval: "yes"\n'));
    expect(errors[0]).toMatchObject({ field: "allow_self_approval" });
    expect(errors[0]?.message).toContain("true or false");
  });

  it("refuses an invalid required metric name", () => {
    const errors = errorsOf(parsePolicy("required_metrics: [accuracy, 9lives]\n"));
    expect(errors[0]).toMatchObject({ field: "required_metrics.1", line: 1 });
  });

  it("reports every broken field at once", () => {
    const errors = errorsOf(
      parsePolicy("approvals:\n  - approvers: bob\n    count: 0\non_reject: retry\n"),
    );
    expect(errors.map((e) => e.field).sort()).toEqual([
      "approvals.0.approvers",
      "approvals.0.count",
      "on_reject",
    ]);
  });
});
