import { and, asc, desc, eq, isNull, lte, or } from "drizzle-orm";
import type { DbOrTx } from "../client";
import {
  approvalRequests,
  deployments,
  environments,
  modelVersions,
  registeredModels,
  webhookDeliveries,
  webhooks,
  type Webhook,
  type WebhookDelivery,
} from "../schema";

export function insertWebhook(
  db: DbOrTx,
  input: { url: string; secret: string; events: string[]; createdByUserId: number | null },
  at: Date,
): Webhook {
  return db
    .insert(webhooks)
    .values({ ...input, active: true, createdAt: at, updatedAt: at })
    .returning()
    .get();
}

export function getWebhookById(db: DbOrTx, id: number): Webhook | undefined {
  return db.select().from(webhooks).where(eq(webhooks.id, id)).get();
}

export function listWebhooks(db: DbOrTx): Webhook[] {
  return db.select().from(webhooks).orderBy(asc(webhooks.id)).all();
}

/**
 * Active webhooks subscribed to one event type. The event list is a small
 * JSON array; filtering it here keeps the SQL free of a dialect's JSON
 * functions, and there are only ever a handful of webhooks.
 */
export function listActiveWebhooksForEvent(db: DbOrTx, eventType: string): Webhook[] {
  return db
    .select()
    .from(webhooks)
    .where(eq(webhooks.active, true))
    .orderBy(asc(webhooks.id))
    .all()
    .filter((w) => w.events.includes(eventType));
}

export function updateWebhookActive(
  db: DbOrTx,
  id: number,
  active: boolean,
  at: Date,
): Webhook | undefined {
  return db
    .update(webhooks)
    .set({ active, updatedAt: at })
    .where(eq(webhooks.id, id))
    .returning()
    .get();
}

export type NewDelivery = {
  webhookId: number;
  messageId: string;
  eventType: string;
  payload: string;
};

export function insertDeliveries(db: DbOrTx, rows: NewDelivery[], at: Date): void {
  if (rows.length === 0) return;
  db.insert(webhookDeliveries)
    .values(
      rows.map((r) => ({
        ...r,
        status: "pending" as const,
        nextAttemptAt: at,
        createdAt: at,
        updatedAt: at,
      })),
    )
    .run();
}

export function getDeliveryById(db: DbOrTx, id: number): WebhookDelivery | undefined {
  return db.select().from(webhookDeliveries).where(eq(webhookDeliveries.id, id)).get();
}

/** A webhook's newest deliveries first. */
export function listDeliveriesOfWebhook(
  db: DbOrTx,
  webhookId: number,
  limit: number,
): WebhookDelivery[] {
  return db
    .select()
    .from(webhookDeliveries)
    .where(eq(webhookDeliveries.webhookId, webhookId))
    .orderBy(desc(webhookDeliveries.id))
    .limit(limit)
    .all();
}

export type DueDelivery = WebhookDelivery & { url: string; secret: string };

/**
 * Pending deliveries whose time has come, oldest first, with where to send
 * them and the key to sign them with. A disabled webhook's deliveries wait.
 */
export function listDueDeliveries(db: DbOrTx, at: Date, limit: number): DueDelivery[] {
  return db
    .select({ delivery: webhookDeliveries, url: webhooks.url, secret: webhooks.secret })
    .from(webhookDeliveries)
    .innerJoin(webhooks, eq(webhooks.id, webhookDeliveries.webhookId))
    .where(
      and(
        eq(webhookDeliveries.status, "pending"),
        or(isNull(webhookDeliveries.nextAttemptAt), lte(webhookDeliveries.nextAttemptAt, at)),
        eq(webhooks.active, true),
      ),
    )
    .orderBy(asc(webhookDeliveries.nextAttemptAt), asc(webhookDeliveries.id))
    .limit(limit)
    .all()
    .map((r) => ({ ...r.delivery, url: r.url, secret: r.secret }));
}

/** Pushes a claimed delivery's next attempt to `until`, so no other tick takes it meanwhile. */
export function leaseDelivery(db: DbOrTx, id: number, until: Date, at: Date): void {
  db.update(webhookDeliveries)
    .set({ nextAttemptAt: until, updatedAt: at })
    .where(eq(webhookDeliveries.id, id))
    .run();
}

export function updateDeliveryAttempt(
  db: DbOrTx,
  id: number,
  change: Pick<
    WebhookDelivery,
    "status" | "attempts" | "nextAttemptAt" | "lastStatusCode" | "lastError" | "deliveredAt"
  >,
  at: Date,
): WebhookDelivery {
  const row = db
    .update(webhookDeliveries)
    .set({ ...change, updatedAt: at })
    .where(eq(webhookDeliveries.id, id))
    .returning()
    .get();
  if (!row) throw new Error(`webhook delivery ${id} vanished during an update`);
  return row;
}

/** Queues a delivery again from its first attempt, due at once. */
export function requeueDelivery(db: DbOrTx, id: number, at: Date): WebhookDelivery | undefined {
  return db
    .update(webhookDeliveries)
    .set({ status: "pending", attempts: 0, nextAttemptAt: at, deliveredAt: null, updatedAt: at })
    .where(eq(webhookDeliveries.id, id))
    .returning()
    .get();
}

/** What a request event tells: the request with its model, version and environment. */
export function getRequestEventSubject(db: DbOrTx, requestId: number) {
  return db
    .select({
      request: approvalRequests,
      modelId: registeredModels.id,
      model: registeredModels.name,
      version: modelVersions.number,
      submittedByUserId: modelVersions.submittedByUserId,
      environment: environments.name,
    })
    .from(approvalRequests)
    .innerJoin(modelVersions, eq(modelVersions.id, approvalRequests.versionId))
    .innerJoin(registeredModels, eq(registeredModels.id, modelVersions.modelId))
    .innerJoin(environments, eq(environments.id, approvalRequests.environmentId))
    .where(eq(approvalRequests.id, requestId))
    .get();
}

/** What a deployment event tells: the deployment with its model, version and environment. */
export function getDeploymentEventSubject(db: DbOrTx, deploymentId: number) {
  return db
    .select({
      deployment: deployments,
      modelId: registeredModels.id,
      model: registeredModels.name,
      version: modelVersions.number,
      environment: environments.name,
    })
    .from(deployments)
    .innerJoin(modelVersions, eq(modelVersions.id, deployments.versionId))
    .innerJoin(registeredModels, eq(registeredModels.id, modelVersions.modelId))
    .innerJoin(environments, eq(environments.id, deployments.environmentId))
    .where(eq(deployments.id, deploymentId))
    .get();
}
