// The bodies webhooks receive, in the Standard Webhooks shape
// `{type, timestamp, data}`. Built inside the transaction that made the
// change, so the body is a snapshot of that moment, not of delivery time.
import type { DbOrTx } from "@/db/client";
import { getDeploymentEventSubject, getRequestEventSubject } from "@/db/queries/webhooks";
import { listUsers } from "@/db/queries/users";
import { eligibilityOf } from "@/lib/approvals/quorum";
import { appUrl } from "@/lib/app-url";
import { activePeople } from "@/lib/gate/people";
import { policyOfRequest } from "@/lib/gate/policy-for";
import type { Policy } from "@/lib/policy/policy";
import type { EventType } from "./emit";

export type WebhookEvent<T extends string, D> = { type: T; timestamp: string; data: D };

export type RequestEventType = Exclude<EventType, "deployment.recorded">;

export type Approver = { name: string; email: string };

export type RequestEventData = {
  request_id: number;
  model: string;
  model_id: number;
  version: number;
  environment: string;
  status: string;
  reason: string | null;
  review_url: string;
  policy_revision: number | null;
  /** Only on `request.created`: who may decide it, so a bot can tell them. */
  approvers?: Approver[];
};

export type DeploymentEventData = {
  deployment_id: number;
  model: string;
  version: number;
  environment: string;
  request_id: number;
};

export function requestEventPayload(
  db: DbOrTx,
  type: RequestEventType,
  requestId: number,
): WebhookEvent<RequestEventType, RequestEventData> {
  const subject = getRequestEventSubject(db, requestId);
  if (!subject) throw new Error(`request ${requestId} is missing for its ${type} event`);
  const { request } = subject;
  const { policy, row } = policyOfRequest(db, request.policyId);
  const data: RequestEventData = {
    request_id: request.id,
    model: subject.model,
    model_id: subject.modelId,
    version: subject.version,
    environment: subject.environment,
    status: request.status,
    reason: request.reason,
    review_url: `${appUrl()}/models/${subject.model}/versions/${subject.version}`,
    policy_revision: row?.revision ?? null,
  };
  if (type === "request.created") {
    const submitters = [subject.submittedByUserId, request.requestedByUserId];
    data.approvers = eligibleApprovers(db, policy, submitters);
  }
  return { type, timestamp: request.updatedAt.toISOString(), data };
}

/** Active people the policy lets decide, less the version's submitters. */
function eligibleApprovers(db: DbOrTx, policy: Policy, submitters: (number | null)[]): Approver[] {
  const names = new Map(listUsers(db).map((u) => [u.id, u.name]));
  return activePeople(db)
    .filter((person) => eligibilityOf(person, policy, submitters).eligible)
    .map((person) => ({ name: names.get(person.id) ?? person.email, email: person.email }));
}

export function deploymentEventPayload(
  db: DbOrTx,
  deploymentId: number,
): WebhookEvent<"deployment.recorded", DeploymentEventData> {
  const subject = getDeploymentEventSubject(db, deploymentId);
  if (!subject) throw new Error(`deployment ${deploymentId} is missing for its event`);
  return {
    type: "deployment.recorded",
    timestamp: subject.deployment.createdAt.toISOString(),
    data: {
      deployment_id: subject.deployment.id,
      model: subject.model,
      version: subject.version,
      environment: subject.environment,
      request_id: subject.deployment.requestId,
    },
  };
}
