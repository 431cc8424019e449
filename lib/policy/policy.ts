// The shape of an approval policy once parsed, and the built-in default used
// when neither the model's environment nor the organisation has one.
import type { Condition } from "./condition";

export const ON_REJECT = ["fail_pipeline", "continue"] as const;
export type OnReject = (typeof ON_REJECT)[number];

export type ApprovalRule = {
  name: string;
  /** `role:<role>`, `group:<name>` or a person's email. */
  approvers: string[];
  count: number;
};

/** The candidate against the version live in the environment. */
export type Comparison = {
  metric: string;
  /** drop: may be at most `limit` below the live value; rise: at most above. */
  direction: "drop" | "rise";
  limit: number;
  text: string;
};

export type Policy = {
  requiredMetrics: string[];
  autoApprove: Condition[];
  autoReject: Condition[];
  compareToDeployed: Comparison[];
  approvals: ApprovalRule[];
  allowSelfApproval: boolean;
  expiresAfterMs: number | null;
  onReject: OnReject;
};

export const DEFAULT_POLICY_SOURCE = `# Built-in default: any reviewer, one approval.
approvals:
  - name: review
    approvers: [role:reviewer]
    count: 1
allow_self_approval: false
on_reject: fail_pipeline
`;

export const DEFAULT_POLICY: Policy = {
  requiredMetrics: [],
  autoApprove: [],
  autoReject: [],
  compareToDeployed: [],
  approvals: [{ name: "review", approvers: ["role:reviewer"], count: 1 }],
  allowSelfApproval: false,
  expiresAfterMs: null,
  onReject: "fail_pipeline",
};

/** Every metric a policy looks at: a change to one of these can change a verdict. */
export function referencedMetrics(policy: Policy): string[] {
  return [
    ...new Set([
      ...policy.requiredMetrics,
      ...policy.autoApprove.map((c) => c.metric),
      ...policy.autoReject.map((c) => c.metric),
      ...policy.compareToDeployed.map((c) => c.metric),
    ]),
  ];
}
