"use server";
// Auth: actionWithUser reads the session's user from the database; the permission
// check runs inside the lib function that makes the change.
// Saves a new policy revision. savePolicy checks the lead role and validates
// the text inside the transaction that stores it.
import { revalidatePath } from "next/cache";
import { z } from "zod";
import { getDb } from "@/db/client";
import { savePolicy } from "@/lib/gate/policies";
import { actionWithUser, type ActionState } from "@/lib/http/server-action";

const input = z.object({
  model: z.string().max(100),
  environment: z.string().max(40),
  source: z.string().max(100_000),
});

const save = actionWithUser("save-policy", input, (data, user) => {
  const row = savePolicy(
    getDb(),
    { type: "user", user },
    data.model,
    data.environment,
    data.source,
  );
  revalidatePath(`/models/${data.model}`, "layout");
  return `Saved revision ${row.revision}. New requests for ${data.environment} use it.`;
});

export async function savePolicyAction(prev: ActionState, form: FormData | object) {
  return save(prev, form);
}
