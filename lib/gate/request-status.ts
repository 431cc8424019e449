// Every status change of a request goes through here, so the events that
// webhooks receive can never drift from what the database says.
import type { Tx } from "@/db/client";
import { updateRequestStatus } from "@/db/queries/requests";
import type { RequestStatus } from "@/db/schema";
import { emitRequestEvent, type EventType } from "@/lib/webhooks/emit";

const EVENT_OF: Partial<Record<RequestStatus, EventType>> = {
  approved: "request.approved",
  rejected: "request.rejected",
  expired: "request.expired",
  superseded: "request.superseded",
};

export function changeRequestStatus(
  tx: Tx,
  id: number,
  change: { status: RequestStatus; reason: string; finalizedAt: Date | null },
  at: Date,
  { emit = true } = {},
) {
  const row = updateRequestStatus(tx, id, change, at);
  if (emit) emitStatusEvent(tx, id, change.status);
  return row;
}

/** Queues the event a status stands for, if it stands for one. */
export function emitStatusEvent(tx: Tx, id: number, status: RequestStatus): void {
  const event = EVENT_OF[status];
  if (event) emitRequestEvent(tx, event, id);
}
