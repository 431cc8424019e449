// Event notifications for webhooks, written to the delivery queue inside the
// transaction that made the change (an outbox): an event is queued exactly
// when its change commits.
import { randomUUID } from "node:crypto";
import type { Tx } from "@/db/client";
import { insertDeliveries, listActiveWebhooksForEvent } from "@/db/queries/webhooks";
import type { Webhook } from "@/db/schema";
import { deploymentEventPayload, requestEventPayload } from "./payloads";

export const EVENT_TYPES = [
  "request.created",
  "request.approved",
  "request.rejected",
  "request.expired",
  "request.superseded",
  "deployment.recorded",
] as const;
export type EventType = (typeof EVENT_TYPES)[number];

/** Queues `type` for a request to every active webhook subscribed to it. */
export function emitRequestEvent(tx: Tx, type: EventType, requestId: number): void {
  if (type === "deployment.recorded") throw new Error("deployment.recorded is not a request event");
  const subscribed = listActiveWebhooksForEvent(tx, type);
  // No subscriber, no payload: working out the approvers reads every user.
  if (subscribed.length === 0) return;
  queueEvent(tx, subscribed, requestEventPayload(tx, type, requestId));
}

/** Queues `deployment.recorded` to every active webhook subscribed to it. */
export function emitDeploymentEvent(tx: Tx, deploymentId: number): void {
  const subscribed = listActiveWebhooksForEvent(tx, "deployment.recorded");
  if (subscribed.length === 0) return;
  queueEvent(tx, subscribed, deploymentEventPayload(tx, deploymentId));
}

function queueEvent(tx: Tx, subscribed: Webhook[], event: { type: EventType }): void {
  // One message id per event, shared by every webhook it goes to and kept
  // across retries: receivers use it to drop duplicates.
  const messageId = `msg_${randomUUID()}`;
  const payload = JSON.stringify(event);
  insertDeliveries(
    tx,
    subscribed.map((w) => ({ webhookId: w.id, messageId, eventType: event.type, payload })),
    new Date(),
  );
}
