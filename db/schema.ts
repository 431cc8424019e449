// The data dictionary of the approval gate. Tables are plural camelCase in
// TypeScript and snake_case in SQL; every timestamp is UTC milliseconds.
import { relations, sql } from "drizzle-orm";
import { index, integer, real, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { ROLES, type Role } from "../lib/roles";
import { REQUEST_STATUSES, type RequestStatus } from "../lib/requests/status";

export const DECISIONS = ["approve", "reject"] as const;
export const DEPLOYMENT_KINDS = ["deploy", "rollback"] as const;
export const ACTOR_TYPES = ["user", "token", "policy", "system"] as const;

const createdAt = () =>
  integer("created_at", { mode: "timestamp_ms" })
    .notNull()
    .default(sql`(CAST(unixepoch('subsec') * 1000 AS INTEGER))`);
const updatedAt = () =>
  integer("updated_at", { mode: "timestamp_ms" })
    .notNull()
    .default(sql`(CAST(unixepoch('subsec') * 1000 AS INTEGER))`);

export const users = sqliteTable("users", {
  id: integer("id").primaryKey({ autoIncrement: true }),
  email: text("email").notNull().unique(),
  name: text("name").notNull(),
  role: text("role", { enum: ROLES }).notNull().default("viewer"),
  passwordHash: text("password_hash").notNull(),
  disabled: integer("disabled", { mode: "boolean" }).notNull().default(false),
  // Set when the person is disabled: sessions signed in before it stay
  // refused after they are enabled again, so re-enabling never revives a
  // cookie that may have been left on a shared or lost machine.
  sessionsValidAfter: integer("sessions_valid_after", { mode: "timestamp_ms" }),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
});

/** Named sets of people that policies can name as approvers (`group:risk`). */
export const groups = sqliteTable("groups", {
  id: integer("id").primaryKey({ autoIncrement: true }),
  name: text("name").notNull().unique(),
  createdAt: createdAt(),
});

export const groupMembers = sqliteTable(
  "group_members",
  {
    groupId: integer("group_id")
      .notNull()
      .references(() => groups.id),
    userId: integer("user_id")
      .notNull()
      .references(() => users.id),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("group_members_group_user").on(t.groupId, t.userId)],
);

/** Pipeline credentials. Only a SHA-256 of the secret is kept. */
export const apiTokens = sqliteTable("api_tokens", {
  id: integer("id").primaryKey({ autoIncrement: true }),
  name: text("name").notNull(),
  // The first characters of the secret, shown in lists so people can tell
  // tokens apart without the secret itself.
  displayPrefix: text("display_prefix").notNull(),
  secretHash: text("secret_hash").notNull().unique(),
  scopes: text("scopes", { mode: "json" }).$type<string[]>().notNull(),
  // pipeline: made by an admin for a pipeline; personal: made by a person
  // for their own scripts, acting as that person under the browser's rules.
  kind: text("kind", { enum: ["pipeline", "personal"] })
    .notNull()
    .default("pipeline"),
  // The person a token acts for (self-approval rules); null for a
  // headless token created from the command line.
  ownerUserId: integer("owner_user_id").references(() => users.id),
  createdByUserId: integer("created_by_user_id").references(() => users.id),
  expiresAt: integer("expires_at", { mode: "timestamp_ms" }),
  lastUsedAt: integer("last_used_at", { mode: "timestamp_ms" }),
  revokedAt: integer("revoked_at", { mode: "timestamp_ms" }),
  createdAt: createdAt(),
});

/**
 * The first answer to a POST sent with an Idempotency-Key, so a retry gets
 * the same answer and writes nothing new. Keys are scoped to their caller.
 */
export const idempotencyKeys = sqliteTable(
  "idempotency_keys",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    callerKey: text("caller_key").notNull(),
    key: text("key").notNull(),
    method: text("method").notNull(),
    path: text("path").notNull(),
    bodyHash: text("body_hash").notNull(),
    status: integer("status").notNull(),
    response: text("response").notNull(),
    // The server process that claimed the key (random per start), so a retry
    // can tell a first call still running from one whose process is gone.
    claimedBy: text("claimed_by").notNull().default(""),
    // Set in the same transaction as the call's change: when the answer was
    // never stored, this still says whether the change happened.
    committedAt: integer("committed_at", { mode: "timestamp_ms" }),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex("idempotency_keys_caller_key").on(t.callerKey, t.key),
    // Expired keys are deleted oldest first (db/queries/idempotency.ts).
    index("idempotency_keys_created").on(t.createdAt),
  ],
);

/** URLs that receive signed event notifications (Standard Webhooks). */
export const webhooks = sqliteTable("webhooks", {
  id: integer("id").primaryKey({ autoIncrement: true }),
  url: text("url").notNull(),
  // `whsec_…`: needed in clear to sign; shown to the admin once.
  secret: text("secret").notNull(),
  events: text("events", { mode: "json" }).$type<string[]>().notNull(),
  active: integer("active", { mode: "boolean" }).notNull().default(true),
  createdByUserId: integer("created_by_user_id").references(() => users.id),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
});

/** The delivery queue: one row per event per subscribed webhook. */
export const webhookDeliveries = sqliteTable(
  "webhook_deliveries",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    webhookId: integer("webhook_id")
      .notNull()
      .references(() => webhooks.id),
    messageId: text("message_id").notNull(),
    eventType: text("event_type").notNull(),
    payload: text("payload").notNull(),
    status: text("status", { enum: ["pending", "succeeded", "failed"] })
      .notNull()
      .default("pending"),
    attempts: integer("attempts").notNull().default(0),
    nextAttemptAt: integer("next_attempt_at", { mode: "timestamp_ms" }),
    lastStatusCode: integer("last_status_code"),
    lastError: text("last_error"),
    deliveredAt: integer("delivered_at", { mode: "timestamp_ms" }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [index("webhook_deliveries_due").on(t.status, t.nextAttemptAt)],
);

export const registeredModels = sqliteTable("registered_models", {
  id: integer("id").primaryKey({ autoIncrement: true }),
  name: text("name").notNull().unique(),
  description: text("description"),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
});

export const modelVersions = sqliteTable(
  "model_versions",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    modelId: integer("model_id")
      .notNull()
      .references(() => registeredModels.id),
    number: integer("number").notNull(),
    sourceUri: text("source_uri"),
    runId: text("run_id"),
    commitSha: text("commit_sha"),
    pipelineRunUrl: text("pipeline_run_url"),
    description: text("description"),
    params: text("params", { mode: "json" })
      .$type<Record<string, string | number | boolean>>()
      .notNull(),
    tags: text("tags", { mode: "json" }).$type<Record<string, string>>().notNull(),
    submittedByUserId: integer("submitted_by_user_id").references(() => users.id),
    submittedByTokenId: integer("submitted_by_token_id").references(() => apiTokens.id),
    // Counts the calls that added or replaced metrics after registration. A
    // reviewer's decision names the revision they saw, so a decision made on
    // numbers that have since changed is refused instead of recorded.
    metricsRevision: integer("metrics_revision").notNull().default(0),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [uniqueIndex("model_versions_model_number").on(t.modelId, t.number)],
);

export const metrics = sqliteTable(
  "metrics",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    versionId: integer("version_id")
      .notNull()
      .references(() => modelVersions.id),
    name: text("name").notNull(),
    value: real("value").notNull(),
    step: integer("step"),
    split: text("split"),
    createdAt: createdAt(),
  },
  (t) => [index("metrics_version_name").on(t.versionId, t.name, t.step)],
);

export const environments = sqliteTable("environments", {
  id: integer("id").primaryKey({ autoIncrement: true }),
  name: text("name").notNull().unique(),
  createdAt: createdAt(),
});

/**
 * Policy revisions. `scopeKey` names what a policy governs: `default` for the
 * organisation-wide one, `model:<id>/env:<id>` for one model's environment.
 * Revisions are never edited; a new one is added.
 */
export const policies = sqliteTable(
  "policies",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    scopeKey: text("scope_key").notNull(),
    modelId: integer("model_id").references(() => registeredModels.id),
    environmentId: integer("environment_id").references(() => environments.id),
    revision: integer("revision").notNull(),
    source: text("source").notNull(),
    createdByUserId: integer("created_by_user_id").references(() => users.id),
    createdByTokenId: integer("created_by_token_id").references(() => apiTokens.id),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("policies_scope_revision").on(t.scopeKey, t.revision)],
);

export const approvalRequests = sqliteTable(
  "approval_requests",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    versionId: integer("version_id")
      .notNull()
      .references(() => modelVersions.id),
    environmentId: integer("environment_id")
      .notNull()
      .references(() => environments.id),
    // Null when the request is judged by the built-in default policy.
    policyId: integer("policy_id").references(() => policies.id),
    status: text("status", { enum: REQUEST_STATUSES }).notNull(),
    // Why the request is in its status, in words a pipeline log can show.
    reason: text("reason"),
    note: text("note"),
    requestedByUserId: integer("requested_by_user_id").references(() => users.id),
    requestedByTokenId: integer("requested_by_token_id").references(() => apiTokens.id),
    expiresAt: integer("expires_at", { mode: "timestamp_ms" }),
    finalizedAt: integer("finalized_at", { mode: "timestamp_ms" }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    index("approval_requests_status").on(t.status, t.createdAt),
    index("approval_requests_version_env").on(t.versionId, t.environmentId),
    // The queue walks every status (or all final ones) in age order a page at a time.
    index("approval_requests_created").on(t.createdAt),
    // Overdue and still-open checks read the deadline of open requests only.
    index("approval_requests_status_expires").on(t.status, t.expiresAt),
  ],
);

export const decisions = sqliteTable(
  "decisions",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    requestId: integer("request_id")
      .notNull()
      .references(() => approvalRequests.id),
    // Null for an automatic decision made by the policy.
    userId: integer("user_id").references(() => users.id),
    decision: text("decision", { enum: DECISIONS }).notNull(),
    comment: text("comment"),
    // For automatic decisions: the policy revision and the values it saw.
    evidence: text("evidence", { mode: "json" }).$type<Record<string, unknown>>(),
    // Set when a required metric changed after approval: the decision no
    // longer counts, and its author may decide again.
    dismissedAt: integer("dismissed_at", { mode: "timestamp_ms" }),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex("decisions_request_user")
      .on(t.requestId, t.userId)
      .where(sql`dismissed_at IS NULL`),
    // A request's decisions, dismissed ones included: the partial index above
    // cannot serve a read that does not say `dismissed_at IS NULL`.
    index("decisions_request").on(t.requestId),
  ],
);

export const deployments = sqliteTable(
  "deployments",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    versionId: integer("version_id")
      .notNull()
      .references(() => modelVersions.id),
    environmentId: integer("environment_id")
      .notNull()
      .references(() => environments.id),
    requestId: integer("request_id")
      .notNull()
      .references(() => approvalRequests.id),
    deployedByUserId: integer("deployed_by_user_id").references(() => users.id),
    deployedByTokenId: integer("deployed_by_token_id").references(() => apiTokens.id),
    // deploy: a pipeline or person recorded a new deployment; rollback: a
    // lead returned the environment to the version live before (with why).
    kind: text("kind", { enum: DEPLOYMENT_KINDS }).notNull().default("deploy"),
    reason: text("reason"),
    createdAt: createdAt(),
  },
  (t) => [
    index("deployments_env_created").on(t.environmentId, t.createdAt),
    // What is live for a model: from its versions to their deployments, so the
    // read stays small however many other models were deployed.
    index("deployments_version_env").on(t.versionId, t.environmentId),
  ],
);

/**
 * Append-only history. Each row carries the hash of the row before it, so a
 * changed or removed row breaks the chain; triggers refuse UPDATE and DELETE.
 */
export const auditEvents = sqliteTable(
  "audit_events",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    actorType: text("actor_type", { enum: ACTOR_TYPES }).notNull(),
    actorId: integer("actor_id"),
    actorName: text("actor_name").notNull(),
    action: text("action").notNull(),
    subjectType: text("subject_type").notNull(),
    subjectId: integer("subject_id"),
    modelId: integer("model_id"),
    summary: text("summary").notNull(),
    details: text("details", { mode: "json" }).$type<Record<string, unknown>>(),
    prevHash: text("prev_hash").notNull(),
    hash: text("hash").notNull(),
    createdAt: createdAt(),
  },
  // The history's filters each walk one of these newest-first by id.
  (t) => [
    index("audit_events_created").on(t.createdAt),
    index("audit_events_actor_id").on(t.actorName, t.id),
    index("audit_events_model_id").on(t.modelId, t.id),
    index("audit_events_action_id").on(t.action, t.id),
  ],
);

export const modelVersionsRelations = relations(modelVersions, ({ one, many }) => ({
  model: one(registeredModels, {
    fields: [modelVersions.modelId],
    references: [registeredModels.id],
  }),
  metrics: many(metrics),
}));

export type User = typeof users.$inferSelect;
export type Group = typeof groups.$inferSelect;
export type { Role, RequestStatus };
export type ApiToken = typeof apiTokens.$inferSelect;
export type IdempotencyKey = typeof idempotencyKeys.$inferSelect;
export type Webhook = typeof webhooks.$inferSelect;
export type WebhookDelivery = typeof webhookDeliveries.$inferSelect;
export type RegisteredModel = typeof registeredModels.$inferSelect;
export type ModelVersion = typeof modelVersions.$inferSelect;
export type Metric = typeof metrics.$inferSelect;
export type Environment = typeof environments.$inferSelect;
export type Policy = typeof policies.$inferSelect;
export type ApprovalRequest = typeof approvalRequests.$inferSelect;
export type Decision = typeof decisions.$inferSelect;
export type DecisionKind = (typeof DECISIONS)[number];
export type Deployment = typeof deployments.$inferSelect;
export type DeploymentKind = (typeof DEPLOYMENT_KINDS)[number];
export type AuditEvent = typeof auditEvents.$inferSelect;
export type ActorType = (typeof ACTOR_TYPES)[number];
