// Admins subscribe URLs to events, switch them on and off, and send a
// delivery again. Every change is audited; the signing secret is shown once
// when the webhook is made and never logged or audited.
import { randomBytes } from "node:crypto";
import { z } from "zod";
import type { Db } from "@/db/client";
import { appendAuditEvent } from "@/db/queries/audit";
import {
  getDeliveryById,
  insertWebhook,
  listDeliveriesOfWebhook,
  listWebhooks,
  requeueDelivery,
  updateWebhookActive,
} from "@/db/queries/webhooks";
import { notFound } from "@/lib/errors";
import { actorAudit, actorUserId, requirePermission, type Actor } from "@/lib/gate/actor";
import { parseInput } from "@/lib/gate/inputs";
import { writeTransaction } from "@/lib/gate/transaction";
import { logFor } from "@/lib/log";
import { EVENT_TYPES } from "./emit";

const log = logFor("webhooks");

export const DELIVERIES_SHOWN = 50;

const webhookInput = z.strictObject({
  url: z
    .string({ error: "must be a URL" })
    .trim()
    .max(2000)
    .refine(isHttpUrl, { error: "must be an http:// or https:// URL" }),
  events: z
    .array(z.enum(EVENT_TYPES, { error: `must be one of ${EVENT_TYPES.join(", ")}` }))
    .min(1, { error: "choose at least one event" }),
});

function isHttpUrl(text: string): boolean {
  try {
    const url = new URL(text);
    return url.protocol === "http:" || url.protocol === "https:";
  } catch {
    return false;
  }
}

/** Scheme and host only: a receiver's path or query may hold a token of its own. */
function originOf(url: string): string {
  return new URL(url).origin;
}

/** 24 random bytes in base64 behind `whsec_`, the Standard Webhooks key format. */
function newSecret(): string {
  return `whsec_${randomBytes(24).toString("base64")}`;
}

export function createWebhook(db: Db, actor: Actor, body: unknown) {
  requirePermission(actor, "webhooks:manage");
  const input = parseInput(webhookInput, body, "webhook");
  const events = EVENT_TYPES.filter((e) => input.events.includes(e));
  const secret = newSecret();
  const at = new Date();

  const webhook = writeTransaction(db, (tx) => {
    const row = insertWebhook(
      tx,
      { url: input.url, secret, events, createdByUserId: actorUserId(actor) },
      at,
    );
    appendAuditEvent(
      tx,
      {
        ...actorAudit(actor),
        action: "webhook.created",
        subjectType: "webhook",
        subjectId: row.id,
        modelId: null,
        summary: `added webhook #${row.id} to ${originOf(input.url)} for ${events.join(", ")}`,
        details: { origin: originOf(input.url), events },
      },
      at,
    );
    return row;
  });
  log.info({ webhook: webhook.id, host: new URL(input.url).host, events }, "webhook created");
  return { id: webhook.id, url: webhook.url, events, secret };
}

export function setWebhookActive(db: Db, actor: Actor, webhookId: number, active: boolean) {
  requirePermission(actor, "webhooks:manage");
  const at = new Date();
  const webhook = writeTransaction(db, (tx) => {
    const row = updateWebhookActive(tx, webhookId, active, at);
    if (!row) throw notFound("webhook", `No webhook #${webhookId}.`);
    appendAuditEvent(
      tx,
      {
        ...actorAudit(actor),
        action: active ? "webhook.enabled" : "webhook.disabled",
        subjectType: "webhook",
        subjectId: row.id,
        modelId: null,
        summary: `${active ? "enabled" : "disabled"} webhook #${row.id} to ${originOf(row.url)}`,
        details: null,
      },
      at,
    );
    return row;
  });
  log.info({ webhook: webhookId, active }, "webhook switched");
  return { id: webhook.id, active: webhook.active };
}

/**
 * Queues a delivery again, due at once and with the whole retry schedule
 * ahead of it. The message id stays, so a receiver that already has the
 * event can tell it is the same one.
 */
export function resendDelivery(db: Db, actor: Actor, deliveryId: number) {
  requirePermission(actor, "webhooks:manage");
  const at = new Date();
  const delivery = writeTransaction(db, (tx) => {
    const before = getDeliveryById(tx, deliveryId);
    if (!before) throw notFound("webhook_delivery", `No webhook delivery #${deliveryId}.`);
    const row = requeueDelivery(tx, deliveryId, at);
    if (!row) throw notFound("webhook_delivery", `No webhook delivery #${deliveryId}.`);
    appendAuditEvent(
      tx,
      {
        ...actorAudit(actor),
        action: "webhook.delivery_resent",
        subjectType: "webhook",
        subjectId: row.webhookId,
        modelId: null,
        summary: `queued ${row.eventType} delivery #${row.id} again`,
        details: {
          delivery_id: row.id,
          previous_status: before.status,
          previous_attempts: before.attempts,
        },
      },
      at,
    );
    return row;
  });
  log.info({ delivery: deliveryId, webhook: delivery.webhookId }, "webhook delivery requeued");
  return delivery;
}

/** Every webhook with its newest deliveries; secrets stay out. */
export function listWebhooksWithDeliveries(db: Db, actor: Actor) {
  requirePermission(actor, "webhooks:manage");
  return listWebhooks(db).map((w) => ({
    id: w.id,
    url: w.url,
    events: w.events,
    active: w.active,
    createdAt: w.createdAt,
    deliveries: listDeliveriesOfWebhook(db, w.id, DELIVERIES_SHOWN).map((d) => ({
      id: d.id,
      messageId: d.messageId,
      eventType: d.eventType,
      status: d.status,
      attempts: d.attempts,
      lastStatusCode: d.lastStatusCode,
      lastError: d.lastError,
      nextAttemptAt: d.nextAttemptAt,
      deliveredAt: d.deliveredAt,
      createdAt: d.createdAt,
    })),
  }));
}
