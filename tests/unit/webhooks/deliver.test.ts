// Delivering queued events to a real local receiver that verifies each
// signature with the standardwebhooks library. Time moves by passing `now`
// to the tick, never by sleeping.
import { afterEach, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import type { Db } from "@/db/client";
import { leaseDelivery } from "@/db/queries/webhooks";
import { webhookDeliveries } from "@/db/schema";
import { requestApproval } from "@/lib/gate/requests";
import { registerVersion } from "@/lib/gate/versions";
import { DELIVERY_LEASE_MS, deliverDueWebhooks } from "@/lib/webhooks/deliver";
import type { EventType } from "@/lib/webhooks/emit";
import { createWebhook, setWebhookActive } from "@/lib/webhooks/manage";
import { MAX_ATTEMPTS, nextAttemptAfter, RETRY_DELAYS_MS } from "@/lib/webhooks/retry-schedule";
import { gateWorlds, type World } from "../helpers/gate-world";
import { cast, fileDb, userActor } from "../helpers/test-db";
import { startReceiver, type Receiver } from "../helpers/webhook-receiver";

const newWorld = gateWorlds();
const receivers: Receiver[] = [];

afterEach(async () => {
  while (receivers.length > 0) await receivers.pop()?.close();
});

async function receiver(options: Parameters<typeof startReceiver>[0] = {}) {
  const started = await startReceiver(options);
  receivers.push(started);
  return started;
}

function subscribe(w: World, to: Receiver, events: EventType[] = ["request.created"]) {
  const created = createWebhook(w.db, w.as("admin"), { url: to.url, events });
  to.useSecret(created.secret);
  return created;
}

function deliveries(db: Db) {
  return db.select().from(webhookDeliveries).orderBy(webhookDeliveries.id).all();
}

const later = (from: Date, ms: number) => new Date(from.getTime() + ms);

describe("delivering webhooks", () => {
  it("POSTs a body whose signature the receiver verifies with standardwebhooks", async () => {
    const w = newWorld();
    const to = await receiver();
    subscribe(w, to);
    const request = w.ask(w.register({ accuracy: 0.9 }));
    const now = new Date();

    const attempts = await deliverDueWebhooks(w.db, now);

    expect(attempts).toEqual([expect.objectContaining({ status: "succeeded", statusCode: 200 })]);
    const [got] = to.received;
    expect(got?.verifyError).toBeNull();
    expect(got?.event).toMatchObject({
      type: "request.created",
      data: { request_id: request.id, approvers: expect.any(Array) },
    });
    const [row] = deliveries(w.db);
    expect(got?.headers).toMatchObject({
      "webhook-id": row?.messageId,
      "webhook-timestamp": String(Math.floor(now.getTime() / 1000)),
      "content-type": "application/json",
    });
    expect(got?.headers["webhook-signature"]).toMatch(/^v1,[A-Za-z0-9+/]+=*$/);
    expect(got?.body).toBe(row?.payload);
    expect(row).toMatchObject({
      status: "succeeded",
      attempts: 1,
      lastStatusCode: 200,
      lastError: null,
      deliveredAt: now,
      nextAttemptAt: null,
    });
  });

  it("is refused by a receiver holding another secret", async () => {
    const w = newWorld();
    const to = await receiver();
    subscribe(w, to);
    to.useSecret(`whsec_${Buffer.from("someone else's key").toString("base64")}`);
    w.ask(w.register({ accuracy: 0.9 }));

    const [attempt] = await deliverDueWebhooks(w.db);
    expect(to.received[0]?.verifyError).toBe("No matching signature found");
    expect(attempt).toMatchObject({ status: "pending", statusCode: 401, error: "HTTP 401" });
  });

  it("succeeds on the third attempt after the receiver failed twice", async () => {
    const w = newWorld();
    const to = await receiver({ answers: [500, 500] });
    subscribe(w, to);
    w.ask(w.register({ accuracy: 0.9 }));
    const t0 = new Date();

    const first = await deliverDueWebhooks(w.db, t0);
    expect(first).toEqual([
      expect.objectContaining({
        status: "pending",
        attempt: 1,
        statusCode: 500,
        error: "HTTP 500",
        nextAttemptAt: later(t0, 5_000),
      }),
    ]);
    expect(await deliverDueWebhooks(w.db, later(t0, 4_999))).toEqual([]);

    const second = await deliverDueWebhooks(w.db, later(t0, 5_000));
    expect(second).toEqual([
      expect.objectContaining({ attempt: 2, nextAttemptAt: later(t0, 35_000) }),
    ]);

    const third = await deliverDueWebhooks(w.db, later(t0, 35_000));
    expect(third).toEqual([expect.objectContaining({ status: "succeeded", attempt: 3 })]);
    expect(deliveries(w.db)[0]).toMatchObject({
      status: "succeeded",
      attempts: 3,
      lastStatusCode: 200,
      lastError: null,
    });
    expect(to.received.map((r) => r.answered)).toEqual([500, 500, 200]);
    expect(to.received.every((r) => r.verifyError === null)).toBe(true);
    // The same message each time, so the receiver can drop a duplicate.
    expect(new Set(to.received.map((r) => r.headers["webhook-id"])).size).toBe(1);
    expect(await deliverDueWebhooks(w.db, later(t0, 3_600_000))).toEqual([]);
  });

  it("marks a delivery failed once the retry schedule is used up", async () => {
    const w = newWorld();
    const to = await receiver({ answers: Array(MAX_ATTEMPTS).fill(503) });
    subscribe(w, to);
    w.ask(w.register({ accuracy: 0.9 }));

    let now = new Date();
    let last;
    for (let i = 0; i < MAX_ATTEMPTS; i++) {
      [last] = await deliverDueWebhooks(w.db, now);
      if (last?.nextAttemptAt) now = last.nextAttemptAt;
    }
    expect(last).toMatchObject({ status: "failed", attempt: MAX_ATTEMPTS, nextAttemptAt: null });
    expect(deliveries(w.db)[0]).toMatchObject({ status: "failed", attempts: MAX_ATTEMPTS });
    expect(to.received).toHaveLength(MAX_ATTEMPTS);
    expect(await deliverDueWebhooks(w.db, later(now, 24 * 3_600_000))).toEqual([]);
  });

  it("records a refused connection as an error and tries again later", async () => {
    const w = newWorld();
    const to = await receiver();
    subscribe(w, to);
    await to.close();
    w.ask(w.register({ accuracy: 0.9 }));

    const [attempt] = await deliverDueWebhooks(w.db);
    expect(attempt).toMatchObject({ status: "pending", statusCode: null });
    expect(attempt?.error).toMatch(/ECONNREFUSED/);
    expect(deliveries(w.db)[0]?.lastError).toBe(attempt?.error);
  });

  it("gives up on an attempt the receiver does not answer in time", async () => {
    const w = newWorld();
    const to = await receiver({ hang: true });
    subscribe(w, to);
    w.ask(w.register({ accuracy: 0.9 }));

    const [attempt] = await deliverDueWebhooks(w.db, new Date(), { timeoutMs: 100 });
    expect(attempt).toMatchObject({
      status: "pending",
      statusCode: null,
      error: "no answer within 0.1 s",
    });
  });

  it("holds back the deliveries of a disabled webhook until it is enabled again", async () => {
    const w = newWorld();
    const to = await receiver();
    const hook = subscribe(w, to);
    w.ask(w.register({ accuracy: 0.9 }));
    setWebhookActive(w.db, w.as("admin"), hook.id, false);

    expect(await deliverDueWebhooks(w.db)).toEqual([]);
    setWebhookActive(w.db, w.as("admin"), hook.id, true);
    expect(await deliverDueWebhooks(w.db)).toEqual([
      expect.objectContaining({ status: "succeeded" }),
    ]);
  });

  it("sends each due delivery once even when two ticks overlap", async () => {
    const w = newWorld();
    const to = await receiver();
    subscribe(w, to);
    w.ask(w.register({ accuracy: 0.9 }));
    const now = new Date();

    const [a, b] = await Promise.all([
      deliverDueWebhooks(w.db, now),
      deliverDueWebhooks(w.db, now),
    ]);
    expect([...a!, ...b!]).toHaveLength(1);
    expect(to.received).toHaveLength(1);
  });
});

describe("delivering after a restart", () => {
  function pendingEventIn(file: ReturnType<typeof fileDb>, url: string) {
    const people = cast(file.db);
    const admin = userActor(people.admin);
    const lead = userActor(people.lead);
    const hook = createWebhook(file.db, admin, { url, events: ["request.created"] });
    registerVersion(file.db, lead, "churn", { metrics: [{ name: "auc", value: 0.8 }] });
    requestApproval(file.db, lead, "churn", 1, { environment: "production" });
    return hook;
  }

  it("delivers what was pending through a new connection to the same file", async () => {
    const file = fileDb();
    try {
      const to = await receiver();
      to.useSecret(pendingEventIn(file, to.url).secret);
      file.sqlite.close(); // the process stops before any tick

      const after = file.connect();
      const [attempt] = await deliverDueWebhooks(after.db);
      expect(attempt).toMatchObject({ status: "succeeded", attempt: 1 });
      expect(to.received[0]?.event).toMatchObject({ data: { model: "churn", version: 1 } });
    } finally {
      file.close();
    }
  });

  it("retries a delivery whose process died mid-attempt once its lease ends", async () => {
    const file = fileDb();
    try {
      const to = await receiver();
      to.useSecret(pendingEventIn(file, to.url).secret);
      const now = new Date();
      const [row] = deliveries(file.db);
      // What a tick does before it POSTs; then the process dies.
      leaseDelivery(file.db, row!.id, later(now, DELIVERY_LEASE_MS), now);
      file.sqlite.close();

      const after = file.connect();
      expect(await deliverDueWebhooks(after.db, now)).toEqual([]);
      const [attempt] = await deliverDueWebhooks(after.db, later(now, DELIVERY_LEASE_MS));
      expect(attempt).toMatchObject({ status: "succeeded", attempt: 1 });
      const stored = after.db
        .select()
        .from(webhookDeliveries)
        .where(eq(webhookDeliveries.id, row!.id))
        .get();
      expect(stored).toMatchObject({ status: "succeeded", attempts: 1 });
    } finally {
      file.close();
    }
  });
});

describe("the retry schedule", () => {
  it("waits 5 s, 30 s, 2 min, 10 min, 1 h and 6 h, then gives up", () => {
    const at = new Date("2030-01-01T00:00:00Z");
    const waits = [1, 2, 3, 4, 5, 6, 7].map((n) => {
      const next = nextAttemptAfter(n, at);
      return next && (next.getTime() - at.getTime()) / 1000;
    });
    expect(waits).toEqual([5, 30, 120, 600, 3600, 21600, null]);
    expect(MAX_ATTEMPTS).toBe(RETRY_DELAYS_MS.length + 1);
  });
});
