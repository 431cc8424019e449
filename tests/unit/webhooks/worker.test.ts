// The poller that runs delivery ticks in the server process.
import { afterEach, describe, expect, it } from "vitest";
import { createWebhook } from "@/lib/webhooks/manage";
import { startWebhookWorker, stopWebhookWorker } from "@/lib/webhooks/worker";
import { gateWorlds } from "../helpers/gate-world";
import { startReceiver } from "../helpers/webhook-receiver";

const newWorld = gateWorlds();

afterEach(() => stopWebhookWorker());

describe("the webhook worker", () => {
  it("delivers queued events on its own and refuses to start twice", async () => {
    const w = newWorld();
    const to = await startReceiver();
    try {
      const hook = createWebhook(w.db, w.as("admin"), { url: to.url, events: ["request.created"] });
      to.useSecret(hook.secret);
      expect(startWebhookWorker(() => w.db, 20)).toBe(true);
      expect(startWebhookWorker(() => w.db, 20)).toBe(false);

      w.ask(w.register({ accuracy: 0.9 }));
      await expect.poll(() => to.received.length, { timeout: 5000 }).toBe(1);
      expect(to.received[0]?.verifyError).toBeNull();
    } finally {
      stopWebhookWorker();
      await to.close();
    }
  });
});
