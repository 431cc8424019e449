// The history page's data: filters combined with keyset pages, and each
// event's subject resolved to a link.
import { describe, expect, it } from "vitest";
import { rollbackDeployment } from "@/lib/gate/rollback";
import { AUDIT_PAGE_SIZE, getAuditPage } from "@/lib/views/audit-page";
import { MODEL, gateWorlds, type World } from "../helpers/gate-world";
import { thrown } from "../helpers/test-db";

const newWorld = gateWorlds();

function pageIds(w: World, query: Record<string, string>) {
  const ids: number[] = [];
  let before: number | null = null;
  for (let guard = 0; guard < 20; guard++) {
    const page = getAuditPage(w.db, w.people.lead, {
      ...query,
      ...(before ? { before: String(before) } : {}),
    });
    if (!page.ok) throw new Error(JSON.stringify(page.errors));
    ids.push(...page.events.map((e) => e.id));
    before = page.nextBeforeId;
    if (before === null) return ids;
  }
  throw new Error("too many pages");
}

describe("filtered pages", () => {
  it("walk every matching event once, newest first, with other events in between", () => {
    const w = newWorld();
    for (let i = 0; i < AUDIT_PAGE_SIZE + 5; i++) {
      w.register({ auc: 0.9 });
      w.register({ auc: 0.8 }, w.lead, "churn");
    }
    const expected = w
      .auditEvents("version.registered")
      .filter((e) => e.summary.includes(MODEL))
      .map((e) => e.id)
      .reverse();
    const ids = pageIds(w, { model: MODEL, action: "version.registered" });
    expect(ids).toEqual(expected);
    expect(ids).toHaveLength(AUDIT_PAGE_SIZE + 5);
  });

  it("narrows by actor and by time, from inclusive and to exclusive", () => {
    const w = newWorld();
    w.register({ auc: 0.9 });
    w.register({ auc: 0.9 }, w.as("admin"));
    const byAdmin = pageIds(w, { actor: "Ada Admin" });
    expect(byAdmin).toEqual(
      w
        .auditEvents("version.registered")
        .slice(1)
        .map((e) => e.id),
    );
    const [first] = w.auditEvents("model.created");
    const at = first!.createdAt.toISOString();
    const justAfter = new Date(first!.createdAt.getTime() + 1).toISOString();
    expect(pageIds(w, { from: at, to: justAfter })).toContain(first!.id);
    expect(pageIds(w, { from: at })).toContain(first!.id);
    expect(pageIds(w, { to: at })).not.toContain(first!.id);
  });

  it("offers each actor and action once, in order", () => {
    const w = newWorld();
    w.register({ auc: 0.9 });
    w.register({ auc: 0.9 }, w.as("admin"), "churn");
    const { choices } = getAuditPage(w.db, w.people.lead, {});
    expect(choices.actors).toEqual(["Ada Admin", "Leo Lead"]);
    expect(choices.actions).toEqual([...new Set(w.auditActions())].sort());
    expect(choices.actions).toContain("version.registered");
    expect(choices.models.map((m) => m.name)).toEqual(["churn", MODEL]);
  });

  it("answers a bad filter with errors naming the field, not a crash", () => {
    const w = newWorld();
    const page = getAuditPage(w.db, w.people.lead, { model: "nobody-has-this", to: "soon" });
    expect(page.ok).toBe(false);
    expect(page.events).toEqual([]);
    expect(page.errors.map((e) => e.field)).toEqual(["to"]);
    const unknown = getAuditPage(w.db, w.people.lead, { model: "nobody-has-this" });
    expect(unknown.errors).toEqual([
      expect.objectContaining({
        field: "model",
        message: 'model: no model is named "nobody-has-this"',
      }),
    ]);
  });

  it("is refused to a reviewer with 403", () => {
    const w = newWorld();
    expect(thrown(() => getAuditPage(w.db, w.people.reviewer, {}))).toMatchObject({ status: 403 });
  });
});

describe("subject links on the page", () => {
  it("resolves versions, requests, deployments and rollbacks to their pages", () => {
    const w = newWorld();
    w.policy("auto_approve: [auc >= 0.5]\n");
    for (const auc of [0.8, 0.9]) {
      const n = w.register({ auc });
      w.ask(n);
      w.deploy(n);
    }
    rollbackDeployment(w.db, w.lead, MODEL, {
      environment: "production",
      expected_version: 2,
      reason: "errors up",
    });
    const page = getAuditPage(w.db, w.people.lead, {});
    const linkOf = (action: string) => page.events.find((e) => e.action === action)?.link?.href;
    expect(linkOf("version.registered")).toBe(`/models/${MODEL}/versions/2`);
    expect(linkOf("request.created")).toBe(`/models/${MODEL}/versions/2`);
    expect(linkOf("deployment.rolled_back")).toBe(`/models/${MODEL}#deployments-production`);
    expect(linkOf("policy.saved")).toBe(`/models/${MODEL}/policies/production`);
    expect(linkOf("model.created")).toBe(`/models/${MODEL}`);
  });
});
