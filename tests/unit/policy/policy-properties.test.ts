// Properties of the evaluator and the quorum that must hold for every input,
// checked with fast-check over generated policies, metrics and people.
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import {
  matchesApprover,
  quorumProgress,
  unsatisfiableRules,
  type Person,
} from "@/lib/approvals/quorum";
import { checkCondition, OPERATORS, type Condition, type Operator } from "@/lib/policy/condition";
import { checkComparison, evaluatePolicy, type MetricValues } from "@/lib/policy/evaluate-policy";
import { parsePolicy } from "@/lib/policy/parse-policy";
import { DEFAULT_POLICY, type Comparison, type Policy } from "@/lib/policy/policy";
import { ROLES } from "@/lib/roles";

const METRICS = ["accuracy", "auc", "recall", "latency_p95_ms"] as const;

const metricName = fc.constantFrom(...METRICS);
const operator = fc.constantFrom<Operator>(...OPERATORS);
const finite = fc.double({ min: -1e6, max: 1e6, noNaN: true, noDefaultInfinity: true });
// Values near the usual thresholds, so that generated conditions are often
// close to the edge rather than trivially true or false.
const score = fc.oneof(
  fc.double({ min: 0, max: 1, noNaN: true }),
  fc.constantFrom(0, 0.5, 0.9, 0.95, 1),
  finite,
);
const notFinite = fc.constantFrom(Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY);

function condition(metric: string, op: Operator, value: number): Condition {
  return { metric, op, value, text: `${metric} ${op} ${value}` };
}

const conditionArb = fc.tuple(metricName, operator, score).map(([m, op, v]) => condition(m, op, v));

const comparisonArb = fc
  .tuple(
    metricName,
    fc.constantFrom<"drop" | "rise">("drop", "rise"),
    fc.double({ min: 0, max: 1, noNaN: true }),
  )
  .map(([metric, direction, limit]): Comparison => ({
    metric,
    direction,
    limit,
    text: `${metric} ${direction} at most ${limit}`,
  }));

/** Mostly finite values, some missing, some NaN or infinite. */
const valuesArb: fc.Arbitrary<MetricValues> = fc
  .tuple(
    ...METRICS.map(() =>
      fc.oneof(
        { weight: 8, arbitrary: score },
        { weight: 1, arbitrary: notFinite },
        { weight: 1, arbitrary: fc.constant(undefined) },
      ),
    ),
  )
  .map((vs) =>
    Object.fromEntries(
      METRICS.flatMap((m, i) => (vs[i] === undefined ? [] : [[m, vs[i] as number]])),
    ),
  );

/** Often empty, so that the rule under test decides the outcome on its own. */
function fewOf<T>(arb: fc.Arbitrary<T>, maxLength: number): fc.Arbitrary<T[]> {
  return fc.oneof(
    { weight: 2, arbitrary: fc.constant<T[]>([]) },
    { weight: 1, arbitrary: fc.array(arb, { minLength: 1, maxLength }) },
  );
}

const deployedArb = fc.option(valuesArb, { nil: null });

function policyWith(parts: Partial<Policy>): Policy {
  return { ...DEFAULT_POLICY, ...parts };
}

const policyArb = fc
  .record({
    requiredMetrics: fc.uniqueArray(metricName, { maxLength: 2 }),
    autoApprove: fewOf(conditionArb, 3),
    autoReject: fewOf(conditionArb, 2),
    compareToDeployed: fewOf(comparisonArb, 2),
  })
  .map(policyWith);

describe("raising an auto-approve threshold", () => {
  // One `metric >= t` (or `>`) threshold, raised from `low` to `high`, with
  // everything else in the policy and the metrics held fixed.
  const raisedArb = fc.record({
    policy: policyArb,
    metric: metricName,
    op: fc.constantFrom<Operator>(">=", ">"),
    low: score,
    raiseBy: fc.oneof(fc.double({ min: 0, max: 2, noNaN: true }), fc.constant(0)),
    values: valuesArb,
    deployed: deployedArb,
  });

  function both(r: typeof raisedArb extends fc.Arbitrary<infer T> ? T : never) {
    const high = r.low + r.raiseBy;
    const at = (t: number) =>
      evaluatePolicy(
        { ...r.policy, autoApprove: [...r.policy.autoApprove, condition(r.metric, r.op, t)] },
        r.values,
        r.deployed,
      ).outcome;
    return { before: at(r.low), after: at(high) };
  }

  it("never turns a rejection into an approval", () => {
    fc.assert(
      fc.property(raisedArb, (r) => {
        const { before, after } = both(r);
        if (before === "rejected") expect(after).not.toBe("approved");
      }),
    );
  });

  it("never turns a non-approval into an approval", () => {
    fc.assert(
      fc.property(raisedArb, (r) => {
        const { before, after } = both(r);
        if (before !== "approved") expect(after).not.toBe("approved");
      }),
    );
  });

  it("never changes a rejection or a wait for metrics, which do not depend on it", () => {
    fc.assert(
      fc.property(raisedArb, (r) => {
        const { before, after } = both(r);
        if (before === "rejected" || before === "awaiting_metrics") expect(after).toBe(before);
      }),
    );
  });
});

describe("NaN, Infinity and missing values", () => {
  it("never satisfy any condition, whatever the operator and threshold", () => {
    fc.assert(
      fc.property(
        metricName,
        operator,
        finite,
        fc.oneof(notFinite, fc.constant(undefined)),
        (metric, op, threshold, actual) => {
          const result = checkCondition(condition(metric, op, threshold), actual);
          expect(result.holds).toBe(false);
          expect(result.actual).toBeNull();
        },
      ),
    );
  });

  it("never auto-approve a policy that has a threshold on that metric", () => {
    fc.assert(
      fc.property(
        policyArb,
        conditionArb,
        valuesArb,
        deployedArb,
        fc.oneof(notFinite, fc.constant(undefined)),
        (policy, threshold, values, deployed, bad) => {
          const p = { ...policy, autoApprove: [...policy.autoApprove, threshold] };
          const v = { ...values, [threshold.metric]: bad as number };
          if (bad === undefined) delete v[threshold.metric];
          expect(evaluatePolicy(p, v, deployed).outcome).not.toBe("approved");
        },
      ),
    );
  });

  it("never break a hard floor by themselves", () => {
    fc.assert(
      fc.property(conditionArb, notFinite, (floor, bad) => {
        const p = policyWith({ autoReject: [floor] });
        expect(evaluatePolicy(p, { [floor.metric]: bad }).outcome).toBe("pending_review");
      }),
    );
  });

  it("never pass a comparison with a deployed version", () => {
    fc.assert(
      fc.property(
        comparisonArb,
        notFinite,
        fc.dictionary(metricName, score, { minKeys: 1 }),
        (c, bad, deployed) => {
          const result = checkComparison(c, { [c.metric]: bad }, deployed);
          expect(result.holds).toBe(false);
          expect(result.actual).toBeNull();
        },
      ),
    );
  });

  it("count as missing when a metric is required", () => {
    fc.assert(
      fc.property(metricName, notFinite, (metric, bad) => {
        const p = policyWith({ requiredMetrics: [metric] });
        expect(evaluatePolicy(p, { [metric]: bad })).toEqual({
          outcome: "awaiting_metrics",
          missing: [metric],
        });
      }),
    );
  });
});

describe("max_drop and max_rise comparisons", () => {
  const pairArb = fc
    .tuple(score, score)
    .filter(([a, b]) => a !== b)
    .map(([a, b]) => (a < b ? ([a, b] as const) : ([b, a] as const)));
  const baselineArb = score;
  const limitArb = fc.oneof(fc.double({ min: 0, max: 1, noNaN: true }), fc.constantFrom(0, 0.01));

  it("max_drop is monotone: a smaller candidate never passes where a larger one fails", () => {
    fc.assert(
      fc.property(pairArb, baselineArb, limitArb, ([smaller, larger], baseline, limit) => {
        const c: Comparison = { metric: "auc", direction: "drop", limit, text: "auc" };
        const small = checkComparison(c, { auc: smaller }, { auc: baseline });
        const large = checkComparison(c, { auc: larger }, { auc: baseline });
        if (small.holds) expect(large.holds).toBe(true);
      }),
    );
  });

  it("max_rise is monotone: a larger candidate never passes where a smaller one fails", () => {
    fc.assert(
      fc.property(pairArb, baselineArb, limitArb, ([smaller, larger], baseline, limit) => {
        const c: Comparison = { metric: "latency", direction: "rise", limit, text: "latency" };
        const small = checkComparison(c, { latency: smaller }, { latency: baseline });
        const large = checkComparison(c, { latency: larger }, { latency: baseline });
        if (large.holds) expect(small.holds).toBe(true);
      }),
    );
  });

  it("a smaller candidate under max_drop never moves a whole evaluation towards approval", () => {
    const rank = { rejected: 0, awaiting_metrics: 1, pending_review: 1, approved: 2 } as const;
    fc.assert(
      fc.property(
        pairArb,
        baselineArb,
        limitArb,
        fc.array(
          conditionArb.filter((c) => c.metric !== "auc"),
          { maxLength: 2 },
        ),
        valuesArb,
        ([smaller, larger], baseline, limit, autoApprove, values) => {
          const p = policyWith({
            autoApprove,
            compareToDeployed: [{ metric: "auc", direction: "drop", limit, text: "auc" }],
          });
          const deployed = { auc: baseline };
          const small = evaluatePolicy(p, { ...values, auc: smaller }, deployed).outcome;
          const large = evaluatePolicy(p, { ...values, auc: larger }, deployed).outcome;
          expect(rank[small]).toBeLessThanOrEqual(rank[large]);
        },
      ),
    );
  });

  it("is skipped, and holds, when nothing is deployed", () => {
    fc.assert(
      fc.property(comparisonArb, valuesArb, (c, values) => {
        expect(checkComparison(c, values, null)).toMatchObject({ skipped: true, holds: true });
      }),
    );
  });

  it("always allows a candidate equal to the deployed value", () => {
    fc.assert(
      fc.property(comparisonArb, score, (c, value) => {
        expect(checkComparison(c, { [c.metric]: value }, { [c.metric]: value }).holds).toBe(true);
      }),
    );
  });
});

describe("quorum over generated people and policies", () => {
  const GROUPS = ["risk", "ml", "ops"];
  const peopleArb = fc
    .uniqueArray(
      fc.record({
        id: fc.integer({ min: 1, max: 12 }),
        role: fc.constantFrom(...ROLES),
        groups: fc.subarray(GROUPS),
      }),
      { selector: (p) => p.id, minLength: 1, maxLength: 8 },
    )
    .map((people): Person[] => people.map((p) => ({ ...p, email: `person${p.id}@example.com` })));
  const approverArb = fc.oneof(
    fc.constantFrom(...ROLES).map((r) => `role:${r}`),
    fc.constantFrom(...GROUPS).map((g) => `group:${g}`),
    fc.integer({ min: 1, max: 12 }).map((id) => `Person${id}@Example.com`),
  );
  const rulesArb = fc.array(
    fc.record({
      name: fc.constant("rule"),
      approvers: fc.array(approverArb, { minLength: 1, maxLength: 4 }),
      count: fc.integer({ min: 1, max: 5 }),
    }),
    { minLength: 1, maxLength: 3 },
  );
  // Approvals drawn from the people, with the same person often more than once.
  const scenarioArb = peopleArb.chain((people) =>
    fc.record({
      people: fc.constant(people),
      rules: rulesArb,
      approvals: fc.array(fc.constantFrom(...people), { maxLength: 12 }),
    }),
  );

  it("never counts more approvals for a rule than there are distinct approvers", () => {
    fc.assert(
      fc.property(scenarioArb, ({ rules, approvals }) => {
        const progress = quorumProgress(
          policyWith({ approvals: rules }),
          approvals.map((person) => ({ person })),
        );
        const distinct = new Set(approvals.map((p) => p.id)).size;
        for (const r of progress.rules) expect(r.approvals).toBeLessThanOrEqual(distinct);
      }),
    );
  });

  it("never counts a person twice, within a rule or across rules", () => {
    fc.assert(
      fc.property(scenarioArb, ({ rules, approvals }) => {
        const progress = quorumProgress(
          policyWith({ approvals: rules }),
          approvals.map((person) => ({ person })),
        );
        progress.rules.forEach((r, i) => {
          const named = new Set(
            approvals
              .filter((p) => rules[i]!.approvers.some((a) => matchesApprover(p, a)))
              .map((p) => p.id),
          );
          expect(r.approvals).toBeLessThanOrEqual(Math.min(named.size, r.rule.count));
          expect(r.met).toBe(r.approvals >= r.rule.count);
        });
        const total = progress.rules.reduce((n, r) => n + r.approvals, 0);
        expect(total).toBeLessThanOrEqual(new Set(approvals.map((p) => p.id)).size);
        expect(progress.met).toBe(progress.rules.every((r) => r.met));
      }),
    );
  });

  it("does not change when an approval is repeated", () => {
    fc.assert(
      fc.property(scenarioArb, ({ rules, approvals }) => {
        const policy = policyWith({ approvals: rules });
        const once = quorumProgress(
          policy,
          approvals.map((person) => ({ person })),
        );
        const twice = quorumProgress(
          policy,
          [...approvals, ...approvals].map((person) => ({ person })),
        );
        expect(twice.rules.map((r) => r.approvals)).toEqual(once.rules.map((r) => r.approvals));
      }),
    );
  });

  it("is never met for a rule that unsatisfiableRules says cannot be met", () => {
    fc.assert(
      fc.property(scenarioArb, ({ people, rules, approvals }) => {
        const policy = policyWith({ approvals: rules });
        // Only people who may decide at all (reviewer or above) ever approve.
        const deciders = approvals.filter((p) => p.role !== "viewer");
        const progress = quorumProgress(
          policy,
          deciders.map((person) => ({ person })),
        );
        for (const { index } of unsatisfiableRules(policy, people)) {
          expect(progress.rules[index]?.met).toBe(false);
        }
      }),
    );
  });
});

describe("policy text", () => {
  it("refuses any approver written as a string instead of a list, at its line", () => {
    const approver = fc.oneof(
      fc.constantFrom("role:reviewer", "role:lead", "group:risk"),
      fc.stringMatching(/^[a-z]{1,8}@[a-z]{1,8}\.com$/),
    );
    fc.assert(
      fc.property(approver, fc.nat({ max: 3 }), (a, padding) => {
        const source = `${"# note\n".repeat(padding)}approvals:\n  - approvers: ${a}\n`;
        const result = parsePolicy(source);
        expect(result.ok).toBe(false);
        if (result.ok) return;
        expect(result.errors).toEqual([
          expect.objectContaining({
            field: "approvals.0.approvers",
            rule: "invalid_type",
            line: padding + 2,
            message: `approvals.0.approvers: must be a list, not a string: write [${a}]`,
          }),
        ]);
      }),
    );
  });

  it("parses every generated condition back to the same metric, operator and value", () => {
    fc.assert(
      fc.property(
        metricName,
        operator,
        finite.map((v) => (v === 0 ? 0 : v)),
        (metric, op, value) => {
          const result = parsePolicy(`auto_approve:\n  - "${metric} ${op} ${value}"\n`);
          expect(result.ok).toBe(true);
          if (!result.ok) return;
          expect(result.policy.autoApprove[0]).toMatchObject({ metric, op, value });
        },
      ),
    );
  });
});
