"use server";
// Webhook management for admins. Each call goes through actionWithUser; the
// permission check is inside the lib function that makes the change.
import { revalidatePath } from "next/cache";
import { z } from "zod";
import { getDb } from "@/db/client";
import { actionWithUser, type ActionState } from "@/lib/http/server-action";
import { createWebhook, resendDelivery, setWebhookActive } from "@/lib/webhooks/manage";

const PAGE = "/admin/webhooks";

export type NewWebhook = { id: number; secret: string };

// Loose here: createWebhook validates the URL and the event names itself.
const webhookInput = z.object({
  url: z.string().max(2000),
  events: z.array(z.string().max(40)).max(20),
});

const create = actionWithUser<typeof webhookInput, NewWebhook>(
  "create-webhook",
  webhookInput,
  (data, user) => {
    const created = createWebhook(getDb(), { type: "user", user }, data);
    revalidatePath(PAGE);
    return {
      message: `Added webhook #${created.id} for ${created.events.join(", ")}.`,
      data: { id: created.id, secret: created.secret },
    };
  },
);

const toggle = actionWithUser(
  "set-webhook-active",
  z.object({ id: z.coerce.number().int().positive(), active: z.enum(["true", "false"]) }),
  (data, user) => {
    const active = data.active === "true";
    setWebhookActive(getDb(), { type: "user", user }, data.id, active);
    revalidatePath(PAGE);
    return `Webhook #${data.id} is ${active ? "enabled" : "disabled"}.`;
  },
);

const resend = actionWithUser(
  "resend-webhook-delivery",
  z.object({ id: z.coerce.number().int().positive() }),
  (data, user) => {
    resendDelivery(getDb(), { type: "user", user }, data.id);
    revalidatePath(PAGE);
    return `Delivery #${data.id} is queued again.`;
  },
);

// Called with `{url, events}` from client code: actionWithUser reads a
// FormData with Object.fromEntries, which would keep one checked box only.
export async function createWebhookAction(prev: ActionState<NewWebhook>, input: object) {
  return create(prev, input);
}

export async function setWebhookActiveAction(prev: ActionState, form: FormData) {
  return toggle(prev, form);
}

export async function resendDeliveryAction(prev: ActionState, form: FormData) {
  return resend(prev, form);
}
