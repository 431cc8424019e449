"use server";
// Validates policy text as it is typed and, on request, dry-runs it against
// recent versions. Nothing is written.
import { z } from "zod";
import { getDb } from "@/db/client";
import { requirePermission } from "@/lib/gate/actor";
import { dryRunPolicy, type DryRunRow } from "@/lib/gate/dry-run";
import { validatePolicySource } from "@/lib/gate/policies";
import { badRequest } from "@/lib/errors";
import { actionWithUser, type ActionState } from "@/lib/http/server-action";

const input = z.object({
  model: z.string().max(100),
  environment: z.string().max(40),
  source: z.string().max(100_000),
  dryRun: z.boolean().default(false),
});

type DryRun = { rows: DryRunRow[]; summary: string; liveVersion: number | null };

const check = actionWithUser<typeof input, DryRun | null>("check-policy", input, (data, user) => {
  const actor = { type: "user" as const, user };
  requirePermission(actor, "policies:write");
  if (data.dryRun) {
    const result = dryRunPolicy(getDb(), actor, data);
    return { message: result.summary, data: result };
  }
  const checked = validatePolicySource(getDb(), data.source);
  if (!checked.ok) throw badRequest("policy", "The policy has errors.", checked.errors);
  return { message: "The policy is valid.", data: null };
});

export async function checkPolicyAction(prev: ActionState<DryRun | null>, form: object) {
  return check(prev, form);
}
