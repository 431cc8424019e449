"use server";
// Roll an environment back to the version live before the current one.
// Auth: actionWithUser reads the session's user from the database; the role
// check and the "is it still the version you saw" check run inside
// rollbackDeployment, in the transaction that records the rollback.
import { revalidatePath } from "next/cache";
import { z } from "zod";
import { getDb } from "@/db/client";
import { rollbackDeployment } from "@/lib/gate/rollback";
import { actionWithUser, type ActionState } from "@/lib/http/server-action";

// Loose here: rollbackDeployment validates each field and names the rule.
const input = z.object({
  model: z.string().max(100),
  environment: z.string().max(40),
  expected_version: z.string().max(12),
  reason: z.string().max(10_000).optional(),
});

const rollback = actionWithUser("rollback-deployment", input, (data, user) => {
  const { model, ...body } = data;
  const result = rollbackDeployment(getDb(), { type: "user", user }, model, body);
  revalidatePath(`/models/${model}`);
  return `Rolled back ${result.environment} from v${result.from} to v${result.to}.`;
});

export async function rollbackDeploymentAction(prev: ActionState, form: FormData) {
  return rollback(prev, form);
}
