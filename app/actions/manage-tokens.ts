"use server";
// Token management from the browser. The permission checks live in
// lib/auth/tokens.ts, which makes the change.
import { revalidatePath } from "next/cache";
import { z } from "zod";
import { getDb } from "@/db/client";
import { createPersonalToken, createPipelineToken, revokeToken } from "@/lib/auth/tokens";
import { actionWithUser, type ActionState } from "@/lib/http/server-action";
import { TOKEN_SCOPES } from "@/lib/permissions";

const expiry = z
  .string()
  .trim()
  .transform((v) => (v === "" ? null : Number(v)))
  .pipe(z.number().int().min(1).max(3650).nullable());

const shownOnce = (name: string, secret: string) =>
  `Created ${name}. Copy the secret now; it is not shown again: ${secret}`;

const pipeline = actionWithUser(
  "create-pipeline-token",
  z.object({ name: z.string().max(80), expiresInDays: expiry, scopes: z.string().max(200) }),
  (data, user) => {
    const scopes = data.scopes.split(",").filter((s) => s !== "");
    const token = createPipelineToken(getDb(), { type: "user", user }, { ...data, scopes });
    revalidatePath("/tokens");
    return shownOnce(data.name, token.secret);
  },
);

const personal = actionWithUser(
  "create-personal-token",
  z.object({ name: z.string().max(80), expiresInDays: expiry }),
  (data, user) => {
    const token = createPersonalToken(getDb(), { type: "user", user }, data);
    revalidatePath("/tokens");
    return shownOnce(data.name, token.secret);
  },
);

const revoke = actionWithUser(
  "revoke-token",
  z.object({ tokenId: z.coerce.number().int().positive() }),
  (data, user) => {
    const token = revokeToken(getDb(), { type: "user", user }, data.tokenId);
    revalidatePath("/tokens");
    return `Revoked ${token.name}; it is refused from now on.`;
  },
);

/** Checkboxes arrive as repeated fields; the action takes them as one list. */
function withScopes(form: FormData): FormData {
  const copy = new FormData();
  for (const [k, v] of form) if (k !== "scope") copy.set(k, v);
  const scopes = form.getAll("scope").map(String);
  copy.set(
    "scopes",
    scopes.filter((s) => (TOKEN_SCOPES as readonly string[]).includes(s)).join(","),
  );
  return copy;
}

export async function createPipelineTokenAction(prev: ActionState, form: FormData) {
  return pipeline(prev, withScopes(form));
}

export async function createPersonalTokenAction(prev: ActionState, form: FormData) {
  return personal(prev, form);
}

export async function revokeTokenAction(prev: ActionState, form: FormData) {
  return revoke(prev, form);
}
