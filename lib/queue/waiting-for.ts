// Which requests wait for one person, in a form the queue's SQL can apply
// before paging (filtering after paging would show short or empty pages).
// Eligibility depends only on the policy revision and on whether the person
// submitted the version or asked for approval, so it is worked out once per
// policy, not once per request.
import type { WaitingForFilter } from "@/db/queries/request-queue";
import { eligibilityOf, type Person } from "@/lib/approvals/quorum";
import type { Policy } from "@/lib/policy/policy";

export function waitingForFilterOf(
  person: Person,
  policies: ReadonlyMap<number | null, Policy>,
): WaitingForFilter {
  const filter: WaitingForFilter = { userId: person.id, anyRequest: [], othersOnly: [] };
  for (const [id, policy] of policies) {
    // Judged as someone else's request; the SQL adds the submitter test.
    if (!eligibilityOf(person, policy, []).eligible) continue;
    (policy.allowSelfApproval ? filter.anyRequest : filter.othersOnly).push(id);
  }
  return filter;
}
