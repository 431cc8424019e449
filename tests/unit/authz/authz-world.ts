// The world every cell of the authorisation matrix runs in: a fresh database
// made the process-wide one, one person of each kind, a model with a policy
// naming its approvers, an open request, an approved one, a webhook with a
// delivery, a group and a token to revoke. Sessions come from a stand-in for
// next-auth's getServerSession (see mockSession).
import { createHash } from "node:crypto";
import { eq, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { users, type User } from "@/db/schema";
import { actorFromBearer, createPersonalToken, createToken } from "@/lib/auth/tokens";
import { decideRequest } from "@/lib/gate/decide";
import { recordDeployment } from "@/lib/gate/deployments";
import { createGroup } from "@/lib/gate/groups";
import { savePolicy } from "@/lib/gate/policies";
import { requestApproval } from "@/lib/gate/requests";
import { registerVersion } from "@/lib/gate/versions";
import { resetRefusalLimits } from "@/lib/http/refusals";
import { TOKEN_SCOPES, type TokenScope } from "@/lib/permissions";
import { createWebhook } from "@/lib/webhooks/manage";
import { addUser, memoryDb, userActor, type TestDb } from "../helpers/test-db";

export const MODEL = "fraud-detector";
export const ORIGIN = "http://gate.test";

export const CALLERS = [
  "anonymous",
  "disabled",
  "viewer",
  "outsider",
  "eligible",
  "lead",
  "admin",
  "tokenWithScope",
  "tokenWithoutScope",
] as const;
export type Caller = (typeof CALLERS)[number];
export const PEOPLE = ["viewer", "outsider", "eligible", "lead", "admin"] as const;
export type Person = (typeof PEOPLE)[number];

const globalForTest = globalThis as unknown as {
  __approvalDb?: unknown;
  __testSession?: { user: { id: number; signedInAt: number } } | null;
};

/** What the mocked getServerSession answers; null is signed out. */
export function signInAs(user: User | null): void {
  globalForTest.__testSession = user ? { user: { id: user.id, signedInAt: Date.now() } } : null;
}

export function currentTestSession() {
  return globalForTest.__testSession ?? null;
}

export type AuthzWorld = ReturnType<typeof buildWorld0>;

export function buildWorld(): AuthzWorld & { close: () => void } {
  const open = memoryDb();
  globalForTest.__approvalDb = open.db;
  resetRefusalLimits();
  const world = buildWorld0(open);
  return {
    ...world,
    close: () => {
      globalForTest.__approvalDb = undefined;
      signInAs(null);
      open.close();
    },
  };
}

function buildWorld0(open: TestDb) {
  const { db } = open;
  const people = {
    viewer: addUser(db, "viewer", "Vera Viewer"),
    outsider: addUser(db, "reviewer", "Otto Outsider"),
    eligible: addUser(db, "reviewer", "Rita Reviewer"),
    lead: addUser(db, "lead", "Leo Lead"),
    admin: addUser(db, "admin", "Ada Admin"),
    disabled: addUser(db, "reviewer", "Dora Disabled"),
  };
  db.update(users).set({ disabled: true }).where(eq(users.id, people.disabled.id)).run();
  const lead = userActor(people.lead);
  const admin = userActor(people.admin);

  // Rita is named; Otto is a reviewer the policy does not name.
  const policy = `approvals:\n  - name: named\n    approvers: [${people.eligible.email}, role:lead]\n    count: 1\n`;
  savePolicy(db, lead, MODEL, "production", policy);
  const webhook = createWebhook(db, admin, {
    url: "https://hooks.example.com/gate",
    events: ["request.created"],
  });
  createGroup(db, lead, "risk");

  // A pipeline registers and asks, so no person here is the submitter.
  const pipeline = actorFromBearer(db, createToken(db, { name: "ci", createdBy: "authz" }).secret);
  registerVersion(db, pipeline, MODEL, { metrics: [{ name: "accuracy", value: 0.91 }] });
  const openRequest = requestApproval(db, pipeline, MODEL, 1, {
    environment: "production",
  }).request;
  registerVersion(db, pipeline, MODEL, { metrics: [{ name: "accuracy", value: 0.93 }] });
  // Staging (the built-in default policy: any reviewer) so that v1's
  // production request stays open.
  const approved = requestApproval(db, pipeline, MODEL, 2, { environment: "staging" }).request;
  decideRequest(db, userActor(people.eligible), approved.id, { decision: "approve" });
  // Another model with v1 then v2 deployed to staging, for rollbacks.
  const rollbackModel = "churn-model";
  for (const n of [1, 2]) {
    registerVersion(db, pipeline, rollbackModel, {});
    const asked = requestApproval(db, pipeline, rollbackModel, n, { environment: "staging" });
    decideRequest(db, userActor(people.eligible), asked.request.id, { decision: "approve" });
    recordDeployment(db, pipeline, rollbackModel, n, { environment: "staging" });
  }
  const victim = createToken(db, { name: "to revoke", createdBy: "authz test" });
  const delivery = db.get<{ id: number }>(sql`SELECT id FROM webhook_deliveries LIMIT 1`);
  if (!delivery) throw new Error("the fixture has no webhook delivery");

  return {
    db,
    people,
    policy,
    openRequestId: openRequest.id,
    approvedRequestId: approved.id,
    webhookId: webhook.id,
    deliveryId: delivery.id,
    victimTokenId: victim.id,
    rollbackModel,
    /** A pipeline token holding exactly these scopes. */
    token: (scopes: TokenScope[]) =>
      createToken(db, { name: `authz ${scopes.join(" ")}`, scopes, createdBy: "authz test" })
        .secret,
    /** A pipeline token holding every scope except this one. */
    tokenWithout: (scope: TokenScope) =>
      createToken(db, {
        name: `authz without ${scope}`,
        scopes: TOKEN_SCOPES.filter((s) => s !== scope),
        createdBy: "authz test",
      }).secret,
    personalToken: (who: Person) =>
      createPersonalToken(db, userActor(people[who]), { name: `${who} bot`, expiresInDays: null })
        .secret,
  };
}

/**
 * Every row of every table, to show that a refused call changed nothing.
 * Token last-use times and the audit history are left out: a refusal
 * touches the one and adds to the other, which the tests check separately.
 */
export function snapshot(world: { db: Db }): Record<string, string> {
  const tables = world.db
    .all<{
      name: string;
    }>(
      sql`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '__drizzle%' ORDER BY name`,
    )
    .map((t) => t.name)
    .filter((t) => t !== "audit_events");
  const dump: Record<string, string> = {};
  for (const t of tables) {
    const rows = world.db.all<Record<string, unknown>>(
      sql`SELECT * FROM ${sql.identifier(t)} ORDER BY rowid`,
    );
    const kept = rows.map((r) => (t === "api_tokens" ? { ...r, last_used_at: null } : r));
    // A digest per table keeps a failure readable: it names the table that changed.
    dump[t] = createHash("sha256").update(JSON.stringify(kept)).digest("hex").slice(0, 12);
  }
  return dump;
}

export function auditRows(world: { db: Db }) {
  return world.db.all<{
    id: number;
    action: string;
    actor_id: number | null;
    actor_type: string;
    actor_name: string;
  }>(sql`SELECT id, action, actor_id, actor_type, actor_name FROM audit_events ORDER BY id`);
}
