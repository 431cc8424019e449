// Who may decide a request and whether its approvals are enough. Pure
// functions over plain data: one person counts once per rule, however many
// of the rule's approver entries name them.
import { roleAtLeast, type Role } from "@/lib/roles";
import type { ApprovalRule, Policy } from "@/lib/policy/policy";

export type Person = { id: number; email: string; role: Role; groups: string[] };
export type CastDecision = { userId: number; decision: "approve" | "reject" };

export type RuleProgress = { rule: ApprovalRule; approvals: number; met: boolean };

export function matchesApprover(person: Person, approver: string): boolean {
  if (approver.startsWith("role:")) return roleAtLeast(person.role, approver.slice(5) as Role);
  if (approver.startsWith("group:")) return person.groups.includes(approver.slice(6));
  return person.email.toLowerCase() === approver.toLowerCase();
}

export function rulesFor(person: Person, policy: Policy): ApprovalRule[] {
  return policy.approvals.filter((rule) => rule.approvers.some((a) => matchesApprover(person, a)));
}

export type Eligibility = { eligible: true } | { eligible: false; reason: string };

/** Whether a person may approve or reject under a policy. */
export function eligibilityOf(
  person: Person,
  policy: Policy,
  /** Who registered the version and who asked for approval (token owners included). */
  submitters: number | null | readonly (number | null)[],
): Eligibility {
  const own = (Array.isArray(submitters) ? submitters : [submitters]).includes(person.id);
  if (!roleAtLeast(person.role, "reviewer")) {
    return { eligible: false, reason: "Viewers can read requests but not decide them." };
  }
  if (!policy.allowSelfApproval && own) {
    return {
      eligible: false,
      reason:
        "You submitted this version or asked for its approval, and its policy does not allow " +
        "self-approval.",
    };
  }
  if (rulesFor(person, policy).length === 0) {
    const names = policy.approvals.flatMap((r) => r.approvers).join(", ");
    return { eligible: false, reason: `This policy's approvers are ${names}; you are not one.` };
  }
  return { eligible: true };
}

/** Counts distinct approving people per rule; every rule must be met. */
export function quorumProgress(
  policy: Policy,
  approvals: ReadonlyArray<{ person: Person }>,
): { rules: RuleProgress[]; met: boolean } {
  const rules = policy.approvals.map((rule) => {
    const ids = new Set<number>();
    for (const { person } of approvals) {
      if (rule.approvers.some((a) => matchesApprover(person, a))) ids.add(person.id);
    }
    return { rule, approvals: ids.size, met: ids.size >= rule.count };
  });
  return { rules, met: rules.every((r) => r.met) };
}

/**
 * Rules that can never be met: fewer active people can approve under them
 * than they need. Self-approval is not counted against a rule here, since
 * who submits is only known per request.
 */
export function unsatisfiableRules(
  policy: Policy,
  people: readonly Person[],
): { index: number; rule: ApprovalRule; eligible: number }[] {
  return policy.approvals.flatMap((rule, index) => {
    const eligible = people.filter(
      (p) => roleAtLeast(p.role, "reviewer") && rule.approvers.some((a) => matchesApprover(p, a)),
    ).length;
    return eligible < rule.count ? [{ index, rule, eligible }] : [];
  });
}
