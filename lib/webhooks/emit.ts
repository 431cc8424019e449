// Event notifications for webhooks, written to the delivery queue inside the
// transaction that made the change (an outbox): an event is queued exactly
// when its change commits.
import type { Tx } from "@/db/client";

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
export function emitRequestEvent(_tx: Tx, _type: EventType, _requestId: number): void {
  // Filled in by the webhook delivery work (issue 4).
}

/** Queues `deployment.recorded` to every active webhook subscribed to it. */
export function emitDeploymentEvent(_tx: Tx, _deploymentId: number): void {
  // Filled in by the webhook delivery work (issue 4).
}
