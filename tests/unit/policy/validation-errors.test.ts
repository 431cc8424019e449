// Every validation error a policy author can meet, with the field, the rule
// broken and the line: first as parsePolicy reports it, then as savePolicy
// refuses it (400 bad_request:policy, nothing stored).
import { describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { policies, users } from "@/db/schema";
import { changeGroupMember, createGroup } from "@/lib/gate/groups";
import { savePolicy, validatePolicySource } from "@/lib/gate/policies";
import { parsePolicy, type ParseResult } from "@/lib/policy/parse-policy";
import { addUser, thrown } from "../helpers/test-db";
import { gateWorlds, MODEL } from "../helpers/gate-world";

const newWorld = gateWorlds();

function errorsOf(result: ParseResult | ReturnType<typeof validatePolicySource>) {
  if (result.ok) throw new Error("expected the policy to be refused");
  return result.errors;
}

describe("an approver list given as a string", () => {
  const source = "approvals:\n  - name: review\n    approvers: bob@example.com\n    count: 1\n";

  it("is refused at its field and line, never skipped", () => {
    expect(errorsOf(parsePolicy(source))).toEqual([
      {
        field: "approvals.0.approvers",
        rule: "invalid_type",
        line: 3,
        message: "approvals.0.approvers: must be a list, not a string: write [bob@example.com]",
      },
    ]);
  });

  it("is refused in a second rule at that rule's index and line", () => {
    const errors = errorsOf(
      parsePolicy(
        "approvals:\n  - approvers: [role:reviewer]\n  - name: risk\n    approvers: role:lead\n",
      ),
    );
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ field: "approvals.1.approvers", rule: "invalid_type" });
    expect(errors[0]?.line).toBe(4);
  });

  it("is refused in flow style on the line it is written on", () => {
    const errors = errorsOf(parsePolicy("# two approvers\napprovals: [{approvers: role:lead}]\n"));
    expect(errors[0]).toMatchObject({
      field: "approvals.0.approvers",
      rule: "invalid_type",
      line: 2,
    });
  });
});

describe("an unknown operator", () => {
  it.each([
    ["=>", "accuracy => 0.9"],
    ["=", "accuracy = 0.9"],
    ["≥", "accuracy ≥ 0.9"],
    [">>", "accuracy >> 0.9"],
  ])("is refused for %s with rule unknown_operator at the condition's line", (op, text) => {
    const errors = errorsOf(parsePolicy(`auto_approve:\n  - auc >= 0.9\n  - ${text}\n`));
    expect(errors).toEqual([
      {
        field: "auto_approve.1",
        rule: "unknown_operator",
        line: 3,
        message: `auto_approve.1: unknown operator "${op}" in "${text}"; use one of >= <= == != > <`,
      },
    ]);
  });

  it("is refused in a hard floor under auto_reject", () => {
    const errors = errorsOf(parsePolicy("required_metrics: [auc]\nauto_reject: [auc =< 0.5]\n"));
    expect(errors[0]).toMatchObject({ field: "auto_reject.0", rule: "unknown_operator", line: 2 });
  });
});

describe("a count below 1", () => {
  it.each([
    ["0", 0],
    ["-1", -1],
    ["-20", -20],
  ])("is refused for %s with rule too_small at the count's line", (text) => {
    const errors = errorsOf(
      parsePolicy(
        `approvals:\n  - name: two people\n    approvers: [role:reviewer]\n    count: ${text}\n`,
      ),
    );
    expect(errors).toEqual([
      {
        field: "approvals.0.count",
        rule: "too_small",
        line: 4,
        message: "approvals.0.count: must be at least 1",
      },
    ]);
  });
});

describe("an unknown key", () => {
  it("is refused at the top level with rule unknown_key, naming the key and its line", () => {
    const errors = errorsOf(
      parsePolicy("required_metrics: [auc]\nauto_aprove: [auc >= 0.9]\non_reject: continue\n"),
    );
    expect(errors).toEqual([
      {
        field: "auto_aprove",
        rule: "unknown_key",
        line: 2,
        message: "auto_aprove: unknown key",
      },
    ]);
  });

  it("is refused inside an approval rule, at the rule's field and the key's line", () => {
    const errors = errorsOf(
      parsePolicy("approvals:\n  - approvers: [role:lead]\n    count: 1\n    quorum: 2\n"),
    );
    expect(errors).toEqual([
      {
        field: "approvals.0.quorum",
        rule: "unknown_key",
        line: 4,
        message: "approvals.0.quorum: unknown key",
      },
    ]);
  });

  it("is refused inside a comparison with the deployed version", () => {
    const errors = errorsOf(
      parsePolicy("compare_to_deployed:\n  - metric: auc\n    max_drop: 0.01\n    max_fall: 1\n"),
    );
    expect(errors[0]).toMatchObject({
      field: "compare_to_deployed.0.max_fall",
      rule: "unknown_key",
      line: 4,
    });
    expect(errors[0]?.message).toContain("max_fall");
  });
});

describe("a rule nobody can satisfy", () => {
  it("is refused with rule unsatisfiable at approvals.N.count and the count's line", () => {
    const w = newWorld();
    // The cast has two reviewers, a lead and an admin: four people at reviewer or above.
    const errors = errorsOf(
      validatePolicySource(
        w.db,
        "approvals:\n  - name: everyone\n    approvers: [role:reviewer]\n    count: 5\n",
      ),
    );
    expect(errors).toEqual([
      {
        field: "approvals.0.count",
        rule: "unsatisfiable",
        line: 4,
        message:
          'approvals.0.count: rule "everyone" needs 5 distinct approvals but only 4 active ' +
          "people (reviewer or above) match role:reviewer",
      },
    ]);
  });

  it("names the second rule by its index when only that one is unsatisfiable", () => {
    const w = newWorld();
    const errors = errorsOf(
      validatePolicySource(
        w.db,
        "approvals:\n  - approvers: [role:reviewer]\n    count: 2\n" +
          "  - name: leads\n    approvers: [role:lead]\n    count: 3\n",
      ),
    );
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ field: "approvals.1.count", rule: "unsatisfiable", line: 6 });
    // The lead and the admin are the two people at lead or above.
    expect(errors[0]?.message).toContain('rule "leads" needs 3 distinct approvals but only 2');
  });

  it("points at the rule's line when count is left to its default", () => {
    const w = newWorld();
    const errors = errorsOf(
      validatePolicySource(
        w.db,
        "on_reject: continue\napprovals:\n  - approvers: [nobody@example.com]\n",
      ),
    );
    expect(errors[0]).toMatchObject({ field: "approvals.0.count", rule: "unsatisfiable", line: 3 });
    expect(errors[0]?.message).toContain("needs 1 distinct approval but only 0 active people");
  });

  it("does not count a viewer named by email", () => {
    const w = newWorld();
    const errors = errorsOf(
      validatePolicySource(w.db, `approvals:\n  - approvers: [${w.people.viewer.email}]\n`),
    );
    expect(errors[0]).toMatchObject({ field: "approvals.0.count", rule: "unsatisfiable" });
  });

  it("does not count a disabled person", () => {
    const w = newWorld();
    const source = `approvals:\n  - approvers: [${w.people.reviewer.email}]\n`;
    expect(validatePolicySource(w.db, source).ok).toBe(true);
    w.db.update(users).set({ disabled: true }).where(eq(users.id, w.people.reviewer.id)).run();
    expect(errorsOf(validatePolicySource(w.db, source))[0]).toMatchObject({
      rule: "unsatisfiable",
    });
  });

  it("counts the members of a named group, and refuses a group with too few", () => {
    const w = newWorld();
    createGroup(w.db, w.lead, "risk");
    const source = "approvals:\n  - approvers: [group:risk]\n    count: 2\n";
    expect(errorsOf(validatePolicySource(w.db, source))[0]?.message).toContain(
      "only 0 active people",
    );
    changeGroupMember(w.db, w.lead, {
      group: "risk",
      email: w.people.reviewer.email,
      change: "add",
    });
    expect(errorsOf(validatePolicySource(w.db, source))[0]?.message).toContain(
      "only 1 active person",
    );
    changeGroupMember(w.db, w.lead, { group: "risk", email: w.people.admin.email, change: "add" });
    expect(validatePolicySource(w.db, source).ok).toBe(true);
  });

  it("counts a person named by several approver entries once", () => {
    const w = newWorld();
    const source =
      "approvals:\n" +
      `  - approvers: [role:lead, ${w.people.lead.email}, ${w.people.lead.email.toUpperCase()}]\n` +
      "    count: 3\n";
    expect(errorsOf(validatePolicySource(w.db, source))[0]?.message).toContain(
      "needs 3 distinct approvals but only 2 active people",
    );
  });

  it("accepts a rule that exactly as many people can satisfy as it needs", () => {
    const w = newWorld();
    expect(
      validatePolicySource(w.db, "approvals:\n  - approvers: [role:reviewer]\n    count: 4\n").ok,
    ).toBe(true);
  });
});

describe("savePolicy refuses an invalid policy", () => {
  it.each([
    [
      "an approver string",
      "approvals:\n  - approvers: role:lead\n",
      "approvals.0.approvers",
      "invalid_type",
      2,
    ],
    [
      "an unknown operator",
      "auto_approve:\n  - auc => 0.9\n",
      "auto_approve.0",
      "unknown_operator",
      2,
    ],
    [
      "a count of 0",
      "approvals:\n  - approvers: [role:lead]\n    count: 0\n",
      "approvals.0.count",
      "too_small",
      3,
    ],
    [
      "an unknown key",
      "approvals:\n  - approvers: [role:lead]\nexpire_after: 72h\n",
      "expire_after",
      "unknown_key",
      3,
    ],
    [
      "viewers named as approvers",
      "approvals:\n  - approvers: [role:viewer]\n",
      "approvals.0.approvers.0",
      "role_cannot_decide",
      2,
    ],
    [
      "an unsatisfiable rule",
      "approvals:\n  - approvers: [role:admin]\n    count: 2\n",
      "approvals.0.count",
      "unsatisfiable",
      3,
    ],
  ])(
    "with 400 bad_request:policy for %s, naming the line in the message",
    (_what, source, field, rule, line) => {
      const w = newWorld();
      const error = thrown(() => w.policy(source));
      expect(error).toMatchObject({ status: 400, code: "bad_request:policy" });
      expect(error.errors).toHaveLength(1);
      expect(error.errors[0]).toMatchObject({ field, rule, line });
      expect(error.message).toBe(`The policy is invalid: line ${line}: ${error.errors[0].message}`);
    },
  );

  it("stores no revision and writes no audit event", () => {
    const w = newWorld();
    const before = w.rowCounts();
    thrown(() => savePolicy(w.db, w.lead, MODEL, "production", "approvals:\n  - approvers: bob\n"));
    expect(w.rowCounts()).toEqual(before);
    expect(w.db.select().from(policies).all()).toEqual([]);
  });

  it("lists every broken field in one answer", () => {
    const w = newWorld();
    const error = thrown(() =>
      w.policy("approvals:\n  - approvers: bob@example.com\n    count: 0\nexpire_after: 3d\n"),
    );
    expect(
      error.errors.map((e: { field: string; rule: string; line: number }) => [
        e.field,
        e.rule,
        e.line,
      ]),
    ).toEqual([
      ["approvals.0.approvers", "invalid_type", 2],
      ["approvals.0.count", "too_small", 3],
      ["expire_after", "unknown_key", 4],
    ]);
  });

  it("accepts a valid policy as revision 1 and the next one as revision 2", () => {
    const w = newWorld();
    addUser(w.db, "reviewer");
    expect(w.policy("approvals:\n  - approvers: [role:reviewer]\n    count: 2\n").revision).toBe(1);
    expect(w.policy("expires_after: 72h\n").revision).toBe(2);
  });
});

describe("errors found together", () => {
  it("reports a bad condition and a bad rule in one answer", () => {
    const errors = errorsOf(
      parsePolicy("auto_approve: [accuracy => 0.9]\napprovals:\n  - approvers: bob@example.com\n"),
    );
    expect(errors.map((e) => [e.field, e.rule, e.line])).toEqual([
      ["auto_approve.0", "unknown_operator", 1],
      ["approvals.0.approvers", "invalid_type", 3],
    ]);
  });

  it("names each unknown key on the line of the key itself", () => {
    const errors = errorsOf(
      parsePolicy(
        "approvals:\n  - approvers: [role:reviewer]\nreviewers:\n  - a\nexpire_after: 3h\n",
      ),
    );
    expect(errors.map((e) => [e.field, e.rule, e.line])).toEqual([
      ["reviewers", "unknown_key", 3],
      ["expire_after", "unknown_key", 5],
    ]);
  });

  it("refuses YAML alias bombs with a syntax error instead of failing", () => {
    const levels = ["a: &a [x, x, x, x, x, x, x, x, x, x]"];
    for (let i = 1; i < 7; i++) {
      const prev = String.fromCharCode(96 + i);
      const name = String.fromCharCode(97 + i);
      levels.push(`${name}: &${name} [${Array(10).fill(`*${prev}`).join(", ")}]`);
    }
    const errors = errorsOf(parsePolicy(`${levels.join("\n")}\n`));
    expect(errors[0]).toMatchObject({ field: "(yaml)", rule: "yaml_syntax" });
  });

  it("refuses hexadecimal thresholds and over-long durations", () => {
    const errors = errorsOf(
      parsePolicy("auto_approve: [accuracy >= 0x1]\nexpires_after: 999999d\n"),
    );
    expect(errors.map((e) => [e.field, e.rule])).toEqual([
      ["auto_approve.0", "finite_number"],
      ["expires_after", "invalid_format"],
    ]);
  });
});
