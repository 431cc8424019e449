// Every server action, called as a browser (or a forged POST) would call it,
// by every kind of person: allowed people succeed; everyone else is refused,
// nothing in the database changes, and the refusal is in the audit history.
import { afterEach, describe, expect, it, vi } from "vitest";
import { sql } from "drizzle-orm";
import {
  auditRows,
  buildWorld,
  currentTestSession,
  PEOPLE,
  signInAs,
  snapshot,
  type AuthzWorld,
} from "./authz-world";
import { ACTION_MATRIX, type ActionEntry } from "./matrix";

vi.mock("next-auth", async (original) => ({
  ...(await original<typeof import("next-auth")>()),
  getServerSession: async () => currentTestSession(),
}));
vi.mock("next/cache", () => ({ revalidatePath: () => undefined }));
vi.mock("next/headers", () => ({
  headers: async () => new Headers({ "x-forwarded-for": "203.0.113.7" }),
}));

let close: (() => void) | null = null;
afterEach(() => {
  close?.();
  close = null;
});

function world() {
  const w = buildWorld();
  close = w.close;
  return w;
}

type Action = (prev: null, input: FormData | object) => Promise<{ ok: boolean; message: string }>;

async function run(w: AuthzWorld, entry: ActionEntry, input = entry.input(w)) {
  const [, name] = entry.action.split("#") as [string, string];
  const action = (await entry.load())[name] as Action;
  return action(null, input);
}

const KINDS = ["anonymous", "disabled", ...PEOPLE] as const;

describe.each(ACTION_MATRIX.map((e) => [e.action, e] as const))("%s", (_action, entry) => {
  it.each(KINDS)("answers %s as the matrix says", async (kind) => {
    const w = world();
    signInAs(kind === "anonymous" ? null : w.people[kind]);
    const before = snapshot(w);
    const auditBefore = auditRows(w).length;

    const result = await run(w, entry);

    const audit = auditRows(w).slice(auditBefore);
    const allowed = kind !== "anonymous" && kind !== "disabled" && entry.allowed.includes(kind);
    if (!allowed) {
      expect(result.ok, result.message).toBe(false);
      expect(snapshot(w)).toEqual(before);
      expect(audit.map((e) => e.action)).toEqual(["access.refused"]);
      const who = kind === "anonymous" || kind === "disabled" ? null : w.people[kind].id;
      expect(audit[0]?.actor_id).toBe(who);
      return;
    }
    expect(result.ok, result.message).toBe(true);
    if (entry.writes) {
      expect(snapshot(w)).not.toEqual(before);
      expect(audit.map((e) => e.action)).toEqual(entry.audit);
    } else {
      expect(snapshot(w)).toEqual(before);
      expect(audit).toEqual([]);
    }
  });
});

const action = (file: string) => {
  const entry = ACTION_MATRIX.find((e) => e.action.startsWith(file));
  if (!entry) throw new Error(`no matrix entry for ${file}`);
  return entry;
};

describe("a server action posted with extra arguments naming another person", () => {
  it("decides as the signed-in person, whatever userId the form adds", async () => {
    const w = world();
    signInAs(w.people.eligible);
    const entry = action("decide-request.ts");
    const input = entry.input(w) as FormData;
    input.set("userId", String(w.people.lead.id));
    input.set("user", JSON.stringify({ id: w.people.admin.id, role: "admin" }));
    const result = await run(w, entry, input);
    expect(result.ok, result.message).toBe(true);
    const rows = w.db.all<{ user_id: number }>(
      sql`SELECT user_id FROM decisions WHERE request_id = ${w.openRequestId}`,
    );
    expect(rows).toEqual([{ user_id: w.people.eligible.id }]);
  });

  it("makes a personal token for the signed-in person, not the one named", async () => {
    const w = world();
    signInAs(w.people.outsider);
    const entry = action("manage-tokens.ts#createPersonalTokenAction");
    const input = entry.input(w) as FormData;
    input.set("ownerUserId", String(w.people.admin.id));
    input.set("scopes", "register,deploy,policy");
    const result = await run(w, entry, input);
    expect(result.ok, result.message).toBe(true);
    const token = w.db.get<{ owner_user_id: number; scopes: string }>(
      sql`SELECT owner_user_id, scopes FROM api_tokens WHERE kind = 'personal'`,
    );
    expect(token).toEqual({ owner_user_id: w.people.outsider.id, scopes: '["read","decide"]' });
  });

  it("refuses a viewer who adds role=admin to a pipeline-token form", async () => {
    const w = world();
    signInAs(w.people.viewer);
    const entry = action("manage-tokens.ts#createPipelineTokenAction");
    const input = entry.input(w) as FormData;
    input.set("role", "admin");
    input.set("userId", String(w.people.admin.id));
    const before = snapshot(w);
    const result = await run(w, entry, input);
    expect(result.ok).toBe(false);
    expect(snapshot(w)).toEqual(before);
  });
});

/** Fields a forged post might add to pass as someone else. */
function impersonating(target: { id: number; email: string; name: string }) {
  return {
    userId: String(target.id),
    user: JSON.stringify({ id: target.id, role: "admin" }),
    actor: JSON.stringify({ type: "user", user: { id: target.id, role: "admin" } }),
    actorId: String(target.id),
    actorName: target.name,
    by: target.email,
    createdByUserId: String(target.id),
    deployedByUserId: String(target.id),
    deployed_by_user_id: String(target.id),
  };
}

function withFields(input: FormData | object, extra: Record<string, string>): FormData | object {
  if (!(input instanceof FormData)) return { ...input, ...extra };
  for (const [k, v] of Object.entries(extra)) input.set(k, v);
  return input;
}

/** Where each action records who acted, besides its audit event. */
const BY_COLUMN: Record<string, string | null> = {
  "rollback-deployment.ts#rollbackDeploymentAction":
    "SELECT deployed_by_user_id AS id FROM deployments ORDER BY id DESC LIMIT 1",
  "save-policy.ts#savePolicyAction":
    "SELECT created_by_user_id AS id FROM policies ORDER BY id DESC LIMIT 1",
  "manage-webhooks.ts#createWebhookAction":
    "SELECT created_by_user_id AS id FROM webhooks ORDER BY id DESC LIMIT 1",
  "manage-webhooks.ts#setWebhookActiveAction": null,
  "manage-webhooks.ts#resendDeliveryAction": null,
  "manage-groups.ts#createGroupAction": null,
  "manage-groups.ts#changeGroupMemberAction": null,
  "manage-groups.ts#createEnvironmentAction": null,
};

describe.each(Object.keys(BY_COLUMN).map((name) => [name, action(name)] as const))(
  "%s posted with extra fields naming another person",
  (name, entry) => {
    // Leads act, naming the admin; the admin-only webhook actions name the lead.
    const role = entry.allowed.includes("lead") ? "lead" : "admin";
    const otherOf = (w: AuthzWorld) => (role === "lead" ? w.people.admin : w.people.lead);

    it("acts, and is recorded, as the signed-in person", async () => {
      const w = world();
      const me = w.people[role];
      signInAs(me);
      const auditBefore = auditRows(w).length;
      const result = await run(w, entry, withFields(entry.input(w), impersonating(otherOf(w))));
      expect(result.ok, result.message).toBe(true);

      const audit = auditRows(w).slice(auditBefore);
      expect(audit.map((e) => e.action)).toEqual(entry.audit);
      for (const event of audit) {
        expect(event).toMatchObject({ actor_type: "user", actor_id: me.id, actor_name: me.name });
      }
      const column = BY_COLUMN[name];
      if (column) expect(w.db.get<{ id: number }>(sql.raw(column))).toEqual({ id: me.id });
    });

    it("is refused for a viewer however the fields name an admin", async () => {
      const w = world();
      signInAs(w.people.viewer);
      const before = snapshot(w);
      const auditBefore = auditRows(w).length;
      const input = withFields(entry.input(w), impersonating(w.people.admin));
      const result = await run(w, entry, input);
      expect(result.ok).toBe(false);
      expect(snapshot(w)).toEqual(before);
      const audit = auditRows(w).slice(auditBefore);
      expect(audit.map((e) => [e.action, e.actor_id])).toEqual([
        ["access.refused", w.people.viewer.id],
      ]);
    });
  },
);

describe("a person disabled or demoted while signed in", () => {
  it("is refused at the very next action", async () => {
    const w = world();
    signInAs(w.people.lead);
    const entry = action("manage-groups.ts#createGroupAction");
    const { changeUser } = await import("@/lib/gate/users");
    changeUser(w.db, "test", w.people.lead.email, { disabled: true });
    const before = snapshot(w);
    const result = await run(w, entry);
    expect(result).toMatchObject({ ok: false, message: "Your session has ended; sign in again." });
    expect(snapshot(w)).toEqual(before);
  });

  it("loses the old role at the very next action", async () => {
    const w = world();
    signInAs(w.people.admin);
    const { changeUser } = await import("@/lib/gate/users");
    changeUser(w.db, "test", w.people.admin.email, { role: "viewer" });
    const result = await run(w, action("manage-tokens.ts#createPipelineTokenAction"));
    expect(result.ok).toBe(false);
    expect(result.message).toContain("role viewer may not");
  });
});
