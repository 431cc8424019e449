// Runs once when a Next server process starts: the webhook delivery worker
// lives in the server, next to the database it reads its queue from.
export async function register() {
  // The import stays inside the runtime check so that an Edge bundle never
  // pulls in the SQLite driver. `next build` loads this file too, and a
  // build has no queue to work on.
  if (
    process.env.NEXT_RUNTIME === "nodejs" &&
    process.env.NEXT_PHASE !== "phase-production-build"
  ) {
    const { startWebhookWorker } = await import("@/lib/webhooks/worker");
    startWebhookWorker();
    const { beginShutdown } = await import("@/lib/gate/request-events");
    for (const signal of ["SIGTERM", "SIGINT"] as const) process.once(signal, beginShutdown);
  }
}
