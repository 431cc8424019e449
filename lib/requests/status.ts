// The request lifecycle (each status is described in README.md, "The
// pipeline API"): which statuses exist and which are final. A final request
// never changes again; asking again means a new request.

export const REQUEST_STATUSES = [
  "awaiting_metrics",
  "pending_review",
  "approved",
  "rejected",
  "expired",
  "cancelled",
  "superseded",
] as const;
export type RequestStatus = (typeof REQUEST_STATUSES)[number];

export const FINAL_STATUSES: readonly RequestStatus[] = [
  "approved",
  "rejected",
  "expired",
  "cancelled",
  "superseded",
];

export function isFinal(status: RequestStatus): boolean {
  return FINAL_STATUSES.includes(status);
}

/** Open requests can still move; only these may take decisions. */
export function acceptsDecisions(status: RequestStatus): boolean {
  return status === "pending_review";
}

export function isExpiredAt(expiresAt: Date | null, now: Date): boolean {
  return expiresAt !== null && expiresAt.getTime() <= now.getTime();
}
