// Events are queued in the transaction that made the change: one pending
// delivery per active webhook subscribed to the event's type.
import { describe, expect, it, vi } from "vitest";
import { webhookDeliveries } from "@/db/schema";
import type { EventType } from "@/lib/webhooks/emit";
import { createWebhook, setWebhookActive } from "@/lib/webhooks/manage";
import { gateWorlds, MODEL, type World } from "../helpers/gate-world";

const newWorld = gateWorlds();

function subscribe(w: World, events: EventType[], url = "https://bot.example.com/hook") {
  return createWebhook(w.db, w.as("admin"), { url, events });
}

function queued(w: World) {
  return w.db
    .select()
    .from(webhookDeliveries)
    .orderBy(webhookDeliveries.id)
    .all()
    .map((d) => ({ ...d, body: JSON.parse(d.payload) }));
}

function queuedOf(w: World, type: EventType) {
  return queued(w).filter((d) => d.eventType === type);
}

describe("queuing webhook events", () => {
  it("queues request.created with the review link and the people who may approve", () => {
    const w = newWorld();
    subscribe(w, ["request.created"]);
    const version = w.register({ accuracy: 0.9 });
    const request = w.ask(version);

    const [delivery, ...rest] = queued(w);
    expect(rest).toEqual([]);
    expect(delivery).toMatchObject({
      status: "pending",
      attempts: 0,
      eventType: "request.created",
    });
    expect(delivery?.messageId).toMatch(/^msg_[0-9a-f-]{36}$/);
    expect(delivery?.body).toMatchObject({
      type: "request.created",
      timestamp: request.createdAt.toISOString(),
      data: {
        request_id: request.id,
        model: MODEL,
        version,
        environment: "production",
        review_url: `http://localhost:3000/models/${MODEL}/versions/${version}`,
        policy_revision: null,
      },
    });
    expect(delivery?.body.data.model_id).toEqual(expect.any(Number));
  });

  it("names as approvers every active reviewer or above, leaving out the submitter", () => {
    const w = newWorld();
    subscribe(w, ["request.created"]);
    w.ask(w.register({ accuracy: 0.9 }));

    // Leo Lead registered and asked, and the default policy forbids self-approval.
    const approvers = queued(w)[0]?.body.data.approvers as { name: string; email: string }[];
    expect(approvers.map((a) => a.name).sort()).toEqual([
      "Ada Admin",
      "Rita Reviewer",
      "Rob Reviewer",
    ]);
    expect(approvers).toContainEqual({ name: "Rita Reviewer", email: w.people.reviewer.email });
  });

  it("follows the request's policy when it names people and groups", () => {
    const w = newWorld();
    w.policy(`approvals:\n  - approvers: [${w.people.reviewer2.email}]\n    count: 1\n`);
    subscribe(w, ["request.created"]);
    w.ask(w.register({ accuracy: 0.9 }));
    expect(queued(w)[0]?.body.data).toMatchObject({
      approvers: [{ name: "Rob Reviewer", email: w.people.reviewer2.email }],
      policy_revision: 1,
    });
  });

  it("queues request.approved when a reviewer approves", () => {
    const w = newWorld();
    subscribe(w, ["request.approved"]);
    const request = w.ask(w.register({ accuracy: 0.9 }));
    w.approve("reviewer", request.id);

    const [delivery] = queuedOf(w, "request.approved");
    expect(delivery?.body).toMatchObject({
      type: "request.approved",
      data: { request_id: request.id, status: "approved", reason: "approved by Rita Reviewer" },
    });
    expect(delivery?.body.data).not.toHaveProperty("approvers");
  });

  it("queues request.approved when the policy approves on its own", () => {
    const w = newWorld();
    w.policy("auto_approve:\n  - accuracy >= 0.9\n");
    subscribe(w, ["request.approved"]);
    const request = w.ask(w.register({ accuracy: 0.95 }));
    expect(queuedOf(w, "request.approved")[0]?.body.data).toMatchObject({
      request_id: request.id,
      status: "approved",
    });
  });

  it("queues request.rejected with the reviewer's reason", () => {
    const w = newWorld();
    subscribe(w, ["request.rejected"]);
    const request = w.ask(w.register({ accuracy: 0.9 }));
    w.reject("reviewer", request.id, "recall too low");
    expect(queuedOf(w, "request.rejected")[0]?.body.data).toMatchObject({
      request_id: request.id,
      status: "rejected",
      reason: "rejected by Rita Reviewer: recall too low",
    });
  });

  it("queues request.expired when an overdue request is read", () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(new Date("2030-01-01T12:00:00Z"));
    const w = newWorld();
    w.policy("expires_after: 1h\n");
    subscribe(w, ["request.expired"]);
    const version = w.register({ accuracy: 0.9 });
    const request = w.ask(version);
    vi.setSystemTime(new Date("2030-01-01T13:00:00Z"));
    expect(w.status(version).status).toBe("expired");

    expect(queuedOf(w, "request.expired")[0]?.body).toMatchObject({
      type: "request.expired",
      timestamp: "2030-01-01T13:00:00.000Z",
      data: { request_id: request.id, status: "expired" },
    });
  });

  it("queues request.superseded when a newer version asks for the same environment", () => {
    const w = newWorld();
    subscribe(w, ["request.superseded"]);
    const old = w.ask(w.register({ accuracy: 0.9 }));
    const newer = w.ask(w.register({ accuracy: 0.91 }));
    expect(queuedOf(w, "request.superseded").map((d) => d.body.data)).toEqual([
      expect.objectContaining({
        request_id: old.id,
        version: 1,
        status: "superseded",
        reason: `superseded by v2 (request #${newer.id})`,
      }),
    ]);
  });

  it("queues deployment.recorded with the deployment and the request that allowed it", () => {
    const w = newWorld();
    subscribe(w, ["deployment.recorded"]);
    const version = w.register({ accuracy: 0.9 });
    const request = w.ask(version);
    w.approve("reviewer", request.id);
    const deployment = w.deploy(version);

    const [delivery, ...rest] = queued(w);
    expect(rest).toEqual([]);
    expect(delivery?.body).toEqual({
      type: "deployment.recorded",
      timestamp: deployment.createdAt.toISOString(),
      data: {
        deployment_id: deployment.id,
        model: MODEL,
        version,
        environment: "production",
        request_id: request.id,
      },
    });
  });

  it("queues nothing for a deployment recorded again while already live", () => {
    const w = newWorld();
    const version = w.register({ accuracy: 0.9 });
    w.approve("reviewer", w.ask(version).id);
    w.deploy(version);
    subscribe(w, ["deployment.recorded"]);
    w.deploy(version);
    expect(queued(w)).toEqual([]);
  });

  it("sends one event to every subscribed active webhook under one message id", () => {
    const w = newWorld();
    const a = subscribe(w, ["request.created", "request.approved"], "https://a.example.com/");
    const b = subscribe(w, ["request.created"], "https://b.example.com/");
    subscribe(w, ["deployment.recorded"], "https://c.example.com/");
    const off = subscribe(w, ["request.created"], "https://d.example.com/");
    setWebhookActive(w.db, w.as("admin"), off.id, false);

    w.ask(w.register({ accuracy: 0.9 }));
    const created = queuedOf(w, "request.created");
    expect(created.map((d) => d.webhookId)).toEqual([a.id, b.id]);
    expect(new Set(created.map((d) => d.messageId)).size).toBe(1);
    expect(created[0]?.payload).toBe(created[1]?.payload);
    expect(queued(w)).toHaveLength(2);
  });

  it("queues nothing when no webhook is subscribed", () => {
    const w = newWorld();
    w.approve("reviewer", w.ask(w.register({ accuracy: 0.9 })).id);
    expect(queued(w)).toEqual([]);
  });
});
