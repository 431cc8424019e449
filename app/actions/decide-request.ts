"use server";
// Auth: actionWithUser reads the session's user from the database; the permission
// check runs inside the lib function that makes the change.
// Approve or reject from the browser. The eligibility check happens inside
// decideRequest, in the transaction that records the decision.
import { revalidatePath } from "next/cache";
import { z } from "zod";
import { getDb } from "@/db/client";
import { decideRequest } from "@/lib/gate/decide";
import { actionWithUser, type ActionState } from "@/lib/http/server-action";

const input = z.object({
  requestId: z.coerce.number().int().positive(),
  decision: z.enum(["approve", "reject"]),
  comment: z.string().max(5000).optional(),
  // Sent by the decision form; a direct call without it is not checked, like the API.
  metricsRevision: z.coerce.number().int().min(0).optional(),
});

const decide = actionWithUser("decide-request", input, (data, user) => {
  const result = decideRequest(getDb(), { type: "user", user }, data.requestId, {
    decision: data.decision,
    comment: data.comment,
    metrics_revision: data.metricsRevision,
  });
  revalidatePath("/", "layout");
  const verb = data.decision === "approve" ? "Approved" : "Rejected";
  return `${verb}. The request is now ${result.request.status.replace("_", " ")}.`;
});

export async function decideRequestAction(prev: ActionState, formData: FormData) {
  return decide(prev, formData);
}
