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

/**
 * Gives each person to at most one rule (a maximum bipartite matching over
 * the rules' seats), so one approval never counts twice, however many rules
 * or groups name the person. Returns the seats filled per rule.
 */
export function assignApprovals(
  rules: readonly ApprovalRule[],
  people: readonly Person[],
): number[] {
  const seats = rules.flatMap((rule, i) => Array.from({ length: rule.count }, () => i));
  const holder: (number | null)[] = seats.map(() => null);
  const unique = [...new Map(people.map((p) => [p.id, p])).values()];
  const fits = (p: Person, seat: number) =>
    rules[seats[seat] ?? 0]?.approvers.some((a) => matchesApprover(p, a)) ?? false;

  const seat = (pi: number, tried: boolean[]): boolean => {
    const person = unique[pi];
    if (!person) return false;
    for (let s = 0; s < seats.length; s++) {
      if (tried[s] || !fits(person, s)) continue;
      tried[s] = true;
      const current = holder[s];
      if (current === null || current === undefined || seat(current, tried)) {
        holder[s] = pi;
        return true;
      }
    }
    return false;
  };
  unique.forEach((_, pi) =>
    seat(
      pi,
      seats.map(() => false),
    ),
  );

  const filled = rules.map(() => 0);
  holder.forEach((h, s) => {
    const rule = seats[s];
    if (h !== null && rule !== undefined) filled[rule] = (filled[rule] ?? 0) + 1;
  });
  return filled;
}

/** Every rule must be met, each by its own people. */
export function quorumProgress(
  policy: Policy,
  approvals: ReadonlyArray<{ person: Person }>,
): { rules: RuleProgress[]; met: boolean } {
  const filled = assignApprovals(
    policy.approvals,
    approvals.map((a) => a.person),
  );
  const rules = policy.approvals.map((rule, i) => {
    const count = filled[i] ?? 0;
    return { rule, approvals: count, met: count >= rule.count };
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
): { index: number; rule: ApprovalRule; eligible: number; shared: boolean }[] {
  const deciders = people.filter((p) => roleAtLeast(p.role, "reviewer"));
  const alone = policy.approvals.flatMap((rule, index) => {
    const eligible = deciders.filter((p) => rule.approvers.some((a) => matchesApprover(p, a)));
    return eligible.length < rule.count
      ? [{ index, rule, eligible: eligible.length, shared: false }]
      : [];
  });
  if (alone.length > 0) return alone;
  // Each rule has enough people on its own, but the same people may be all
  // the rules have: one person counts once.
  const filled = assignApprovals(policy.approvals, deciders);
  return policy.approvals.flatMap((rule, index) =>
    (filled[index] ?? 0) < rule.count
      ? [{ index, rule, eligible: filled[index] ?? 0, shared: true }]
      : [],
  );
}
