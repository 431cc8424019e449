// A person approves or rejects a request. The person's role is read from
// the database inside the same transaction that records the decision, so a
// demotion or a race with another reviewer can never slip through.
import type { Db, DbOrTx, Tx } from "@/db/client";
import { appendAuditEvent } from "@/db/queries/audit";
import { getDecisionOfUser, insertDecision } from "@/db/queries/decisions";
import { getModelById } from "@/db/queries/models";
import { getRequestById } from "@/db/queries/requests";
import { getUserById } from "@/db/queries/users";
import { getVersionById } from "@/db/queries/versions";
import type { ApprovalRequest, User } from "@/db/schema";
import { conflict, forbidden, notFound } from "@/lib/errors";
import { logFor } from "@/lib/log";
import { eligibilityOf, quorumProgress } from "@/lib/approvals/quorum";
import { approvingPeople, personOf } from "./people";
import { isFinal } from "@/lib/requests/status";
import { requirePermission, type Actor } from "./actor";
import { decisionInput, parseInput } from "./inputs";
import { expireIfDue, expireOverdueRequests } from "./requests";
import { policyOfRequest } from "./policy-for";
import { notifyRequestChanged } from "./request-events";
import { writeTransaction } from "./transaction";
import { changeRequestStatus } from "./request-status";

const log = logFor("decisions");

/** The person a decision is made by: the user, or the owner of a personal token. */
function deciderOf(tx: Tx, actor: Actor): User {
  const id = actor.type === "user" ? actor.user.id : actor.owner?.id;
  const user = id === undefined ? undefined : getUserById(tx, id);
  if (!user || user.disabled)
    throw forbidden("decider", "Only an active person can decide a request.");
  return user;
}

export function loadRequestSubject(tx: DbOrTx, request: ApprovalRequest) {
  const version = getVersionById(tx, request.versionId);
  const model = version ? getModelById(tx, version.modelId) : undefined;
  if (!version || !model) throw new Error(`request ${request.id} has no version`);
  return { model, version };
}

export function decideRequest(db: Db, actor: Actor, requestId: number, body: unknown) {
  const input = parseInput(decisionInput, body, "decision");
  const at = new Date();
  expireOverdueRequests(db, at);

  const result = writeTransaction(db, (tx, afterCommit) => {
    const user = deciderOf(tx, actor);
    requirePermission({ type: "user", user }, "requests:decide");
    if (actor.type === "token") requirePermission(actor, "requests:decide");

    const found = getRequestById(tx, requestId);
    if (!found) throw notFound("request", `No approval request #${requestId}.`);
    const subject = loadRequestSubject(tx, found);
    const request = expireIfDue(tx, found, subject, at);
    if (isFinal(request.status)) {
      throw conflict(
        "request_final",
        `Request #${request.id} is already ${request.status}; decisions after a final state ` +
          "are refused. Ask again with a new request.",
      );
    }
    if (request.status === "awaiting_metrics") {
      throw conflict(
        "awaiting_metrics",
        `Request #${request.id} cannot be decided yet: ${request.reason}.`,
      );
    }

    const seen = input.metrics_revision;
    if (seen !== undefined && seen !== subject.version.metricsRevision) {
      throw conflict(
        "metrics_changed",
        `The metrics of ${subject.model.name} v${subject.version.number} changed after you ` +
          `opened it (metrics revision ${subject.version.metricsRevision}, not ${seen}): ` +
          "look at the new values and decide again.",
      );
    }

    const { policy } = policyOfRequest(tx, request.policyId);
    const submitter = [subject.version.submittedByUserId, request.requestedByUserId];
    const eligibility = eligibilityOf(personOf(tx, user), policy, submitter);
    if (!eligibility.eligible) throw forbidden("not_eligible", eligibility.reason);
    if (getDecisionOfUser(tx, request.id, user.id)) {
      throw conflict("already_decided", `You have already decided request #${request.id}.`);
    }

    const comment = input.comment && input.comment.length > 0 ? input.comment : null;
    insertDecision(
      tx,
      { requestId: request.id, userId: user.id, decision: input.decision, comment },
      at,
    );
    const what = `${subject.model.name} v${subject.version.number}`;
    appendAuditEvent(
      tx,
      {
        actorType: "user",
        actorId: user.id,
        actorName: user.name,
        action: `decision.${input.decision}`,
        subjectType: "request",
        subjectId: request.id,
        modelId: subject.model.id,
        summary:
          `${user.name} ${input.decision === "approve" ? "approved" : "rejected"} ${what}` +
          (comment ? `: ${comment}` : ""),
        details: { comment, via: actor.type },
      },
      at,
    );

    const next = nextStatus(tx, request, policy, user, input.decision, comment);
    let updated = request;
    if (next) {
      updated = changeRequestStatus(tx, request.id, { ...next, finalizedAt: at }, at);
      appendAuditEvent(
        tx,
        {
          actorType: "user",
          actorId: user.id,
          actorName: user.name,
          action: `request.${next.status}`,
          subjectType: "request",
          subjectId: request.id,
          modelId: subject.model.id,
          summary: `${what} ${next.reason}`,
          details: null,
        },
        at,
      );
    }
    afterCommit(() => notifyRequestChanged(request.id));
    return { request: updated, decision: input.decision, by: user.name };
  });
  log.info(
    { request: requestId, decision: result.decision, status: result.request.status },
    "decision recorded",
  );
  return result;
}

function nextStatus(
  tx: Tx,
  request: ApprovalRequest,
  policy: ReturnType<typeof policyOfRequest>["policy"],
  decider: User,
  decision: "approve" | "reject",
  comment: string | null,
): { status: "approved" | "rejected"; reason: string } | null {
  if (decision === "reject") {
    return { status: "rejected", reason: `rejected by ${decider.name}: ${comment}` };
  }
  const approvals = approvingPeople(tx, request.id);
  const progress = quorumProgress(policy, approvals);
  if (!progress.met) return null;
  return { status: "approved", reason: `approved by ${approvals.map((a) => a.name).join(", ")}` };
}
