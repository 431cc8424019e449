// Admins manage webhooks; nobody else may, and the secret is shown once.
import { describe, expect, it } from "vitest";
import { auditEvents, webhookDeliveries, webhooks } from "@/db/schema";
import { deliverDueWebhooks } from "@/lib/webhooks/deliver";
import {
  createWebhook,
  listWebhooksWithDeliveries,
  resendDelivery,
  setWebhookActive,
} from "@/lib/webhooks/manage";
import { gateWorlds, type World } from "../helpers/gate-world";
import { thrown, tokenActor } from "../helpers/test-db";

const newWorld = gateWorlds();

const HOOK_URL = "https://bot.example.com/approval-events?key=receiver-own-token";

function add(w: World, events = ["request.created"]) {
  return createWebhook(w.db, w.as("admin"), { url: HOOK_URL, events });
}

describe("adding a webhook", () => {
  it("returns a whsec_ secret of 24 random bytes and stores the subscription", () => {
    const w = newWorld();
    const created = add(w, ["request.approved", "request.created"]);

    expect(created.secret).toMatch(/^whsec_[A-Za-z0-9+/]{32}$/);
    expect(Buffer.from(created.secret.slice(6), "base64")).toHaveLength(24);
    expect(add(w).secret).not.toBe(created.secret);
    const stored = w.db.select().from(webhooks).all()[0];
    expect(stored).toMatchObject({
      url: HOOK_URL,
      secret: created.secret,
      // Kept in the canonical order whatever order they came in.
      events: ["request.created", "request.approved"],
      active: true,
      createdByUserId: w.people.admin.id,
    });
  });

  it("audits the webhook by its origin alone, never with the secret or the URL's path", () => {
    const w = newWorld();
    const created = add(w);
    const [event] = w.auditEvents("webhook.created");
    expect(event).toMatchObject({
      actorName: "Ada Admin",
      subjectType: "webhook",
      subjectId: created.id,
      summary: `added webhook #${created.id} to https://bot.example.com for request.created`,
    });
    const everything = JSON.stringify(w.db.select().from(auditEvents).all());
    expect(everything).not.toContain(created.secret.slice(6));
    expect(everything).not.toContain("receiver-own-token");
  });

  it.each([
    ["ftp://files.example.com/", "url: must be an http:// or https:// URL"],
    ["not a url", "url: must be an http:// or https:// URL"],
  ])("refuses the URL %s with 400", (url, message) => {
    const w = newWorld();
    const error = thrown(() =>
      createWebhook(w.db, w.as("admin"), { url, events: ["request.created"] }),
    );
    expect(error).toMatchObject({ status: 400, code: "bad_request:validation" });
    expect(error.message).toBe(`Invalid webhook: ${message}`);
    expect(w.db.select().from(webhooks).all()).toEqual([]);
  });

  it("refuses an unknown event and an empty event list with 400", () => {
    const w = newWorld();
    const unknown = thrown(() =>
      createWebhook(w.db, w.as("admin"), {
        url: HOOK_URL,
        events: ["request.created", "model.eaten"],
      }),
    );
    expect(unknown).toMatchObject({ status: 400 });
    expect(unknown.errors[0]).toMatchObject({ field: "events.1" });
    const none = thrown(() => createWebhook(w.db, w.as("admin"), { url: HOOK_URL, events: [] }));
    expect(none.message).toBe("Invalid webhook: events: choose at least one event");
  });
});

describe("who may manage webhooks", () => {
  it.each(["viewer", "reviewer", "lead"] as const)("refuses a %s everything with 403", (role) => {
    const w = newWorld();
    const hook = add(w);
    w.ask(w.register({ accuracy: 0.9 }));
    const [delivery] = w.db.select().from(webhookDeliveries).all();
    const actor = w.as(role);

    const refusals = [
      () => createWebhook(w.db, actor, { url: HOOK_URL, events: ["request.created"] }),
      () => setWebhookActive(w.db, actor, hook.id, false),
      () => resendDelivery(w.db, actor, delivery!.id),
      () => listWebhooksWithDeliveries(w.db, actor),
    ].map(thrown);
    for (const error of refusals) {
      expect(error).toMatchObject({ status: 403, code: "forbidden:webhooks_manage" });
      expect(error.message).toBe(`role ${role} may not manage webhooks.`);
    }
    expect(w.db.select().from(webhooks).all()).toHaveLength(1);
    expect(w.auditEvents("webhook.delivery_resent")).toEqual([]);
  });

  it("refuses a pipeline token with 403, whatever its scopes", () => {
    const w = newWorld();
    const { actor } = tokenActor(w.db, {
      scopes: ["register", "request", "read", "deploy", "decide", "policy"],
    });
    const error = thrown(() =>
      createWebhook(w.db, actor, { url: HOOK_URL, events: ["request.created"] }),
    );
    expect(error).toMatchObject({ status: 403, code: "forbidden:webhooks_manage" });
  });
});

describe("switching a webhook off and on", () => {
  it("stops new events from being queued and audits each switch", () => {
    const w = newWorld();
    const hook = add(w);
    expect(setWebhookActive(w.db, w.as("admin"), hook.id, false)).toEqual({
      id: hook.id,
      active: false,
    });
    w.ask(w.register({ accuracy: 0.9 }));
    expect(w.db.select().from(webhookDeliveries).all()).toEqual([]);
    setWebhookActive(w.db, w.as("admin"), hook.id, true);
    expect(w.auditActions().filter((a) => a.startsWith("webhook."))).toEqual([
      "webhook.created",
      "webhook.disabled",
      "webhook.enabled",
    ]);
  });

  it("answers 404 for a webhook that does not exist", () => {
    const w = newWorld();
    expect(thrown(() => setWebhookActive(w.db, w.as("admin"), 99, false))).toMatchObject({
      status: 404,
      code: "not_found:webhook",
    });
  });
});

describe("sending a delivery again", () => {
  it("queues a failed delivery again from its first attempt, due at once", async () => {
    const w = newWorld();
    createWebhook(w.db, w.as("admin"), {
      url: "http://127.0.0.1:9/nobody-listens",
      events: ["request.created"],
    });
    w.ask(w.register({ accuracy: 0.9 }));
    const [queued] = w.db.select().from(webhookDeliveries).all();
    w.db
      .update(webhookDeliveries)
      .set({ status: "failed", attempts: 7, nextAttemptAt: null, lastError: "HTTP 500" })
      .run();

    const before = Date.now();
    const again = resendDelivery(w.db, w.as("admin"), queued!.id);
    expect(again).toMatchObject({
      id: queued!.id,
      messageId: queued!.messageId,
      payload: queued!.payload,
      status: "pending",
      attempts: 0,
      deliveredAt: null,
    });
    expect(again.nextAttemptAt!.getTime()).toBeGreaterThanOrEqual(before);
    expect(again.nextAttemptAt!.getTime()).toBeLessThanOrEqual(Date.now());
    expect(w.auditEvents("webhook.delivery_resent")[0]).toMatchObject({
      actorName: "Ada Admin",
      summary: `queued request.created delivery #${queued!.id} again`,
      details: { delivery_id: queued!.id, previous_status: "failed", previous_attempts: 7 },
    });

    const [attempt] = await deliverDueWebhooks(w.db);
    expect(attempt).toMatchObject({ deliveryId: queued!.id, attempt: 1 });
  });

  it("answers 404 for a delivery that does not exist", () => {
    const w = newWorld();
    expect(thrown(() => resendDelivery(w.db, w.as("admin"), 42))).toMatchObject({
      status: 404,
      code: "not_found:webhook_delivery",
    });
  });
});

describe("listing webhooks", () => {
  it("shows each webhook's newest deliveries first and never its secret", () => {
    const w = newWorld();
    const created = add(w, ["request.created", "request.approved"]);
    const request = w.ask(w.register({ accuracy: 0.9 }));
    w.approve("reviewer", request.id);

    const [listed, ...rest] = listWebhooksWithDeliveries(w.db, w.as("admin"));
    expect(rest).toEqual([]);
    expect(listed).toMatchObject({ id: created.id, url: HOOK_URL, active: true });
    expect(listed?.deliveries.map((d) => [d.eventType, d.status, d.attempts])).toEqual([
      ["request.approved", "pending", 0],
      ["request.created", "pending", 0],
    ]);
    expect(JSON.stringify(listed)).not.toContain(created.secret);
  });
});
