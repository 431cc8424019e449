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
) {
  const row = updateRequestStatus(tx, id, change, at);
  const event = EVENT_OF[change.status];
  if (event) emitRequestEvent(tx, event, id);
  return row;
}
