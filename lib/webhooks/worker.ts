// Runs the delivery tick in the server process. Started once per process
// from instrumentation.ts; a tick still running when the next is due is
// left to finish rather than overlapped, so a slow receiver never makes
// two attempts at one delivery.
import { getDb, type Db } from "@/db/client";
import { logFor } from "@/lib/log";
import { deliverDueWebhooks } from "./deliver";

const log = logFor("webhooks");

export const TICK_MS = 1000;

// On globalThis: Next can load this module more than once in one process.
const globalForWorker = globalThis as unknown as { __webhookWorker?: NodeJS.Timeout };

/** Starts polling the delivery queue; returns false when it already runs. */
export function startWebhookWorker(database: () => Db = getDb, everyMs = TICK_MS): boolean {
  if (globalForWorker.__webhookWorker) return false;
  let running = false;
  const timer = setInterval(() => {
    if (running) return;
    running = true;
    deliverDueWebhooks(database())
      .catch((err: unknown) => log.error({ err }, "webhook tick failed"))
      .finally(() => {
        running = false;
      });
  }, everyMs);
  // The poller alone must not keep a process alive that is otherwise done.
  timer.unref();
  globalForWorker.__webhookWorker = timer;
  log.info({ everyMs }, "webhook worker started");
  return true;
}

export function stopWebhookWorker(): void {
  clearInterval(globalForWorker.__webhookWorker);
  globalForWorker.__webhookWorker = undefined;
}
