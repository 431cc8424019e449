// Sends queued webhook deliveries. The queue is a table, so a restart loses
// nothing: whatever was pending is picked up by the next tick.
import type { Db } from "@/db/client";
import {
  leaseDelivery,
  listDueDeliveries,
  updateDeliveryAttempt,
  type DueDelivery,
} from "@/db/queries/webhooks";
import { writeTransaction } from "@/lib/gate/transaction";
import { logFor } from "@/lib/log";
import { nextAttemptAfter } from "./retry-schedule";
import { signedHeaders } from "./sign";

const log = logFor("webhooks");

export const DELIVERY_TIMEOUT_MS = 10_000;
const BATCH_SIZE = 20;
// A claimed delivery is hidden from other ticks this long. Longer than the
// timeout, so only a process that died mid-attempt leaves it to expire, and
// then the delivery is tried again (at least once, never lost).
export const DELIVERY_LEASE_MS = 6 * DELIVERY_TIMEOUT_MS;

export type DeliveryAttempt = {
  deliveryId: number;
  webhookId: number;
  eventType: string;
  attempt: number;
  status: "succeeded" | "pending" | "failed";
  statusCode: number | null;
  error: string | null;
  nextAttemptAt: Date | null;
};

/** One tick of the worker: claims what is due at `now` and tries to send it. */
export async function deliverDueWebhooks(
  db: Db,
  now: Date = new Date(),
  options: { timeoutMs?: number } = {},
): Promise<DeliveryAttempt[]> {
  const claimed = claimDueDeliveries(db, now);
  const timeoutMs = options.timeoutMs ?? DELIVERY_TIMEOUT_MS;
  return Promise.all(claimed.map((d) => attemptDelivery(db, d, now, timeoutMs)));
}

function claimDueDeliveries(db: Db, now: Date): DueDelivery[] {
  // A read first: most ticks find nothing and need not take the write lock.
  if (listDueDeliveries(db, now, 1).length === 0) return [];
  return writeTransaction(db, (tx) => {
    const due = listDueDeliveries(tx, now, BATCH_SIZE);
    const until = new Date(now.getTime() + DELIVERY_LEASE_MS);
    for (const d of due) leaseDelivery(tx, d.id, until, now);
    return due;
  });
}

async function attemptDelivery(
  db: Db,
  delivery: DueDelivery,
  now: Date,
  timeoutMs: number,
): Promise<DeliveryAttempt> {
  const { statusCode, error } = await post(delivery, now, timeoutMs);
  const attempt = delivery.attempts + 1;
  const succeeded = error === null;
  const nextAttemptAt = succeeded ? null : nextAttemptAfter(attempt, now);
  const status = succeeded ? "succeeded" : nextAttemptAt ? "pending" : "failed";
  updateDeliveryAttempt(
    db,
    delivery.id,
    {
      status,
      attempts: attempt,
      nextAttemptAt,
      lastStatusCode: statusCode,
      lastError: error,
      deliveredAt: succeeded ? now : null,
    },
    now,
  );

  const result = {
    deliveryId: delivery.id,
    webhookId: delivery.webhookId,
    eventType: delivery.eventType,
    attempt,
    status,
    statusCode,
    error,
    nextAttemptAt,
  } satisfies DeliveryAttempt;
  // The URL may carry a token in its path, so only its host is logged.
  const fields = { ...result, host: hostOf(delivery.url), messageId: delivery.messageId };
  // A failure with retries left is routine (a receiver restarting); giving
  // up is what an operator needs to see.
  if (status === "failed") log.warn(fields, "webhook delivery failed");
  else log.info(fields, succeeded ? "webhook delivered" : "webhook attempt failed");
  return result;
}

/** POSTs the signed body; any 2xx answer is a success. */
async function post(
  delivery: DueDelivery,
  now: Date,
  timeoutMs: number,
): Promise<{ statusCode: number | null; error: string | null }> {
  try {
    const response = await fetch(delivery.url, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "user-agent": "model-approval-gate-webhooks",
        ...signedHeaders(delivery.secret, delivery.messageId, now, delivery.payload),
      },
      body: delivery.payload,
      // A redirect is answered as a failure instead of followed: the admin
      // chose this URL, not wherever it points next.
      redirect: "manual",
      signal: AbortSignal.timeout(timeoutMs),
    });
    // Only the status matters; dropping the body frees the connection.
    await response.body?.cancel().catch(() => undefined);
    const ok = response.status >= 200 && response.status < 300;
    return { statusCode: response.status, error: ok ? null : `HTTP ${response.status}` };
  } catch (error) {
    return { statusCode: null, error: describeFetchError(error, timeoutMs) };
  }
}

function describeFetchError(error: unknown, timeoutMs: number): string {
  if (!(error instanceof Error)) return String(error).slice(0, 500);
  if (error.name === "TimeoutError") return `no answer within ${timeoutMs / 1000} s`;
  // Node's fetch says only "fetch failed"; the cause names the reason.
  const cause = error.cause instanceof Error ? error.cause : null;
  const code = cause && "code" in cause ? String(cause.code) : null;
  const detail = code ?? cause?.message;
  return (detail ? `${error.message}: ${detail}` : error.message).slice(0, 500);
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return "(invalid url)";
  }
}
