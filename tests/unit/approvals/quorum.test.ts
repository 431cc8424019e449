import { describe, expect, it } from "vitest";
import {
  eligibilityOf,
  matchesApprover,
  quorumProgress,
  type Person,
} from "@/lib/approvals/quorum";
import { parsePolicy } from "@/lib/policy/parse-policy";
import type { Policy } from "@/lib/policy/policy";
import type { Role } from "@/lib/roles";

function policy(source: string): Policy {
  const result = parsePolicy(source);
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  return result.policy;
}

function person(
  id: number,
  role: Role,
  email = `p${id}@example.com`,
  groups: string[] = [],
): Person {
  return { id, email, role, groups };
}

const alice = person(1, "reviewer", "alice@example.com", ["ml"]);
const bob = person(2, "reviewer", "bob@example.com");
const lena = person(3, "lead", "lena@example.com");
const adam = person(4, "admin", "adam@example.com");
const vic = person(5, "viewer", "vic@example.com");

describe("who matches an approver entry", () => {
  it("matches role:reviewer for reviewers, leads and admins", () => {
    expect(matchesApprover(alice, "role:reviewer")).toBe(true);
    expect(matchesApprover(lena, "role:reviewer")).toBe(true);
    expect(matchesApprover(adam, "role:reviewer")).toBe(true);
  });

  it("does not match role:lead for a reviewer", () => {
    expect(matchesApprover(alice, "role:lead")).toBe(false);
    expect(matchesApprover(adam, "role:lead")).toBe(true);
  });

  it("matches an email regardless of case", () => {
    expect(matchesApprover(alice, "Alice@Example.com")).toBe(true);
    expect(matchesApprover(bob, "alice@example.com")).toBe(false);
  });

  it("matches a group only for its members", () => {
    expect(matchesApprover(alice, "group:ml")).toBe(true);
    expect(matchesApprover(bob, "group:ml")).toBe(false);
  });
});

describe("quorum", () => {
  it("counts one person once even when several entries name them", () => {
    const p = policy(
      "approvals:\n  - approvers: [role:reviewer, alice@example.com, group:ml]\n    count: 2\n",
    );
    const progress = quorumProgress(p, [{ person: alice }]);
    expect(progress.rules[0]?.approvals).toBe(1);
    expect(progress.met).toBe(false);
  });

  it("counts one person once even when their approval is listed twice", () => {
    const p = policy("approvals:\n  - approvers: [role:reviewer]\n    count: 2\n");
    expect(quorumProgress(p, [{ person: alice }, { person: alice }]).met).toBe(false);
  });

  it("is met by two distinct people when count is 2", () => {
    const p = policy("approvals:\n  - approvers: [role:reviewer]\n    count: 2\n");
    const progress = quorumProgress(p, [{ person: alice }, { person: bob }]);
    expect(progress.rules[0]?.approvals).toBe(2);
    expect(progress.met).toBe(true);
  });

  it("needs every rule met", () => {
    const p = policy("approvals:\n  - approvers: [role:reviewer]\n  - approvers: [role:lead]\n");
    expect(quorumProgress(p, [{ person: alice }]).met).toBe(false);
    expect(quorumProgress(p, [{ person: alice }, { person: lena }]).met).toBe(true);
  });

  it("does not let one lead satisfy both a reviewer rule and a lead rule", () => {
    const p = policy("approvals:\n  - approvers: [role:reviewer]\n  - approvers: [role:lead]\n");
    expect(quorumProgress(p, [{ person: lena }]).met).toBe(false);
    expect(quorumProgress(p, [{ person: lena }, { person: alice }]).met).toBe(true);
  });

  it("does not count approvals from people the rule does not name", () => {
    const p = policy("approvals:\n  - approvers: [role:lead]\n");
    expect(quorumProgress(p, [{ person: alice }, { person: bob }]).met).toBe(false);
  });
});

describe("eligibility", () => {
  const anyReviewer = policy("approvals:\n  - approvers: [role:reviewer]\n");
  // Policies naming viewers are refused when saved; this one is built by hand to
  // show eligibility holds even if such a policy reached the gate.
  const everyone = {
    ...anyReviewer,
    approvals: anyReviewer.approvals.map((r) => ({ ...r, approvers: ["role:viewer"] })),
  };

  it("never lets a viewer decide, even when the policy names viewers", () => {
    const result = eligibilityOf(vic, everyone, null);
    expect(result.eligible).toBe(false);
    expect(result).toMatchObject({ reason: expect.stringContaining("Viewers") });
  });

  it("refuses self-approval by default", () => {
    const result = eligibilityOf(alice, anyReviewer, alice.id);
    expect(result).toMatchObject({
      eligible: false,
      reason: expect.stringContaining("self-approval"),
    });
  });

  it("allows self-approval when the policy says so", () => {
    const p = policy("allow_self_approval: true\napprovals:\n  - approvers: [role:reviewer]\n");
    expect(eligibilityOf(alice, p, alice.id)).toEqual({ eligible: true });
  });

  it("lets a reviewer decide someone else's version", () => {
    expect(eligibilityOf(alice, anyReviewer, bob.id)).toEqual({ eligible: true });
  });

  it("lets leads and admins decide under a role:reviewer rule", () => {
    expect(eligibilityOf(lena, anyReviewer, null)).toEqual({ eligible: true });
    expect(eligibilityOf(adam, anyReviewer, null)).toEqual({ eligible: true });
  });

  it("refuses a reviewer the policy does not name, listing the approvers", () => {
    const p = policy("approvals:\n  - approvers: [role:lead, carol@example.com]\n");
    const result = eligibilityOf(alice, p, null);
    expect(result).toMatchObject({
      eligible: false,
      reason: expect.stringContaining("role:lead, carol@example.com"),
    });
  });

  it("lets a reviewer named by email decide a lead-only policy", () => {
    const p = policy("approvals:\n  - approvers: [role:lead, alice@example.com]\n");
    expect(eligibilityOf(alice, p, null)).toEqual({ eligible: true });
  });
});
