// "What would this policy have done?" A policy text tried against the last 20
// versions of a model before it is saved: an outcome and a reason per
// version, one summary sentence, and nothing written.
import { describe, expect, it } from "vitest";
import { dryRunPolicy, summarise, type DryRunRow } from "@/lib/gate/dry-run";
import { thrown, tokenActor } from "../helpers/test-db";
import { gateWorlds, MODEL, type World } from "../helpers/gate-world";

const newWorld = gateWorlds();

const POLICY = `
required_metrics: [auc]
auto_approve: [auc >= 0.9]
auto_reject: [auc < 0.5]
`;

/** v1 and v2 without metrics, then v3..v6 with auc 0.95, 0.3, 0.92, 0.7. */
function sixVersions(): World {
  const w = newWorld();
  w.register();
  w.register();
  w.register({ auc: 0.95 });
  w.register({ auc: 0.3 });
  w.register({ auc: 0.92 });
  w.register({ auc: 0.7 });
  return w;
}

function dryRun(w: World, source = POLICY, environment = "production") {
  return dryRunPolicy(w.db, w.lead, { model: MODEL, environment, source });
}

describe("a dry run", () => {
  it("says what the policy would have done to each version, newest first", () => {
    const { rows } = dryRun(sixVersions());
    expect(rows.map((r) => [r.version, r.outcome])).toEqual([
      [6, "pending_review"],
      [5, "approved"],
      [4, "rejected"],
      [3, "approved"],
      [2, "awaiting_metrics"],
      [1, "awaiting_metrics"],
    ]);
  });

  it("gives a reason per version with the values it saw", () => {
    const { rows } = dryRun(sixVersions());
    expect(Object.fromEntries(rows.map((r) => [r.version, r.reason]))).toEqual({
      6: "waiting for review (auto-approval not met: auc >= 0.9 (was 0.7))",
      5: "approved by policy: auc >= 0.9 (was 0.92)",
      4: "rejected by policy: auc < 0.5 (was 0.3)",
      3: "approved by policy: auc >= 0.9 (was 0.95)",
      2: "waiting for required metrics: auc",
      1: "waiting for required metrics: auc",
    });
  });

  it("sums the outcomes up in one sentence", () => {
    expect(dryRun(sixVersions()).summary).toBe(
      "Against the last 6 versions this policy would have approved v3 and v5, rejected v4, " +
        "sent v6 to review, kept v1 and v2 waiting for metrics.",
    );
  });

  it("writes nothing: no policy, request, decision or audit event", () => {
    const w = sixVersions();
    const before = w.rowCounts();
    dryRun(w);
    expect(w.rowCounts()).toEqual(before);
  });

  it("looks at the last 20 versions only", () => {
    const w = newWorld();
    for (let i = 0; i < 23; i++) w.register({ auc: 0.95 });
    const result = dryRun(w);
    expect(result.rows).toHaveLength(20);
    expect(result.rows[0]?.version).toBe(23);
    expect(result.rows[19]?.version).toBe(4);
    expect(result.summary).toMatch(
      /^Against the last 20 versions this policy would have approved v4, v5, /,
    );
    expect(result.summary).toMatch(/, v22 and v23\.$/);
  });

  it("judges against the version live in the environment, and names it", () => {
    const w = newWorld();
    w.policy("auto_approve: [auc >= 0.5]\n");
    w.register({ auc: 0.9 });
    w.ask(1);
    w.deploy(1);
    w.register({ auc: 0.85 });
    w.register({ auc: 0.89 });
    const result = dryRun(
      w,
      "auto_approve: [auc >= 0.5]\ncompare_to_deployed: [{metric: auc, max_drop: 0.02}]\n",
    );
    expect(result.liveVersion).toBe(1);
    expect(result.rows.map((r) => [r.version, r.outcome])).toEqual([
      [3, "approved"],
      [2, "rejected"],
      // The live version is not compared with itself.
      [1, "approved"],
    ]);
    expect(result.rows[1]?.reason).toBe(
      "rejected by policy: auc drops at most 0.02 below the deployed version (was 0.85, deployed 0.9)",
    );
  });

  it("compares with nothing in an environment where nothing is deployed", () => {
    const w = newWorld();
    w.policy("auto_approve: [auc >= 0.5]\n");
    w.register({ auc: 0.9 });
    w.ask(1);
    w.deploy(1);
    w.register({ auc: 0.6 });
    const result = dryRun(
      w,
      "compare_to_deployed: [{metric: auc, max_drop: 0.02}]\nauto_approve: [auc >= 0.5]\n",
      "staging",
    );
    expect(result.liveVersion).toBeNull();
    expect(result.rows[0]).toMatchObject({ version: 2, outcome: "approved" });
  });

  it("refuses invalid policy text with 400 and the errors with their lines", () => {
    const w = sixVersions();
    const error = thrown(() =>
      dryRun(w, "auto_approve:\n  - auc => 0.9\napprovals:\n  - approvers: role:lead\n"),
    );
    expect(error).toMatchObject({ status: 400, code: "bad_request:policy" });
    expect(error.message).toBe("Fix the policy's errors before a dry run.");
    expect(error.errors).toEqual([
      expect.objectContaining({ field: "auto_approve.0", rule: "unknown_operator", line: 2 }),
      expect.objectContaining({ field: "approvals.0.approvers", rule: "invalid_type", line: 4 }),
    ]);
  });

  it("refuses an unknown operator with its line", () => {
    const w = sixVersions();
    const error = thrown(() =>
      dryRun(w, "required_metrics: [auc]\nauto_approve:\n  - auc => 0.9\n"),
    );
    expect(error.errors).toEqual([
      expect.objectContaining({ field: "auto_approve.0", rule: "unknown_operator", line: 3 }),
    ]);
  });

  it("refuses a rule nobody can satisfy", () => {
    const w = sixVersions();
    const error = thrown(() =>
      dryRun(w, "approvals:\n  - approvers: [role:admin]\n    count: 3\n"),
    );
    expect(error).toMatchObject({ status: 400, code: "bad_request:policy" });
    expect(error.errors[0]).toMatchObject({
      field: "approvals.0.count",
      rule: "unsatisfiable",
      line: 3,
    });
  });

  it("writes nothing when the policy is refused", () => {
    const w = sixVersions();
    const before = w.rowCounts();
    thrown(() => dryRun(w, "auto_aprove: []\n"));
    expect(w.rowCounts()).toEqual(before);
  });

  it("refuses a reviewer with 403, like saving", () => {
    const w = sixVersions();
    const error = thrown(() =>
      dryRunPolicy(w.db, w.as("reviewer"), {
        model: MODEL,
        environment: "production",
        source: POLICY,
      }),
    );
    expect(error).toMatchObject({ status: 403, code: "forbidden:policies_write" });
  });

  it("refuses a pipeline token without the policy scope with 403", () => {
    const w = sixVersions();
    const error = thrown(() =>
      dryRunPolicy(w.db, tokenActor(w.db).actor, {
        model: MODEL,
        environment: "production",
        source: POLICY,
      }),
    );
    expect(error).toMatchObject({ status: 403, code: "forbidden:policies_write" });
  });

  it("answers 404 for an unknown model or environment", () => {
    const w = sixVersions();
    expect(
      thrown(() =>
        dryRunPolicy(w.db, w.lead, { model: "nope", environment: "production", source: POLICY }),
      ),
    ).toMatchObject({ status: 404, code: "not_found:model" });
    expect(thrown(() => dryRun(w, POLICY, "moon"))).toMatchObject({
      status: 404,
      code: "not_found:environment",
    });
  });
});

describe("summarise", () => {
  const row = (version: number, outcome: DryRunRow["outcome"]): DryRunRow => ({
    version,
    outcome,
    reason: "",
  });

  it("reads the issue's example sentence", () => {
    expect(
      summarise([
        row(6, "pending_review"),
        row(5, "approved"),
        row(4, "rejected"),
        row(3, "approved"),
      ]),
    ).toBe(
      "Against the last 4 versions this policy would have approved v3 and v5, rejected v4, " +
        "sent v6 to review.",
    );
  });

  it("says so when the model has no versions", () => {
    expect(summarise([])).toBe("This model has no versions to try the policy on.");
  });

  it("speaks of one version in the singular", () => {
    expect(summarise([row(1, "awaiting_metrics")])).toBe(
      "Against the last 1 version this policy would have kept v1 waiting for metrics.",
    );
  });

  it("lists three or more versions with commas and a final and", () => {
    expect(summarise([row(3, "rejected"), row(2, "rejected"), row(1, "rejected")])).toBe(
      "Against the last 3 versions this policy would have rejected v1, v2 and v3.",
    );
  });
});
