// A small world for gate scenarios: a fresh database per test with one person
// of each role, and short verbs for what pipelines and reviewers do.
import { afterEach, vi } from "vitest";
import { sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { listDecisionsOfRequest } from "@/db/queries/decisions";
import { getRequestById } from "@/db/queries/requests";
import { auditEvents, type User } from "@/db/schema";
import type { Actor } from "@/lib/gate/actor";
import { decideRequest } from "@/lib/gate/decide";
import { recordDeployment } from "@/lib/gate/deployments";
import { readGateStatus } from "@/lib/gate/gate-status";
import { savePolicy } from "@/lib/gate/policies";
import { requestApproval } from "@/lib/gate/requests";
import { addMetrics, registerVersion } from "@/lib/gate/versions";
import { cast, memoryDb, userActor, type TestDb } from "./test-db";

export const MODEL = "fraud-detector";

type Metrics = Record<string, number>;

const toList = (metrics: Metrics) =>
  Object.entries(metrics).map(([name, value]) => ({ name, value }));

/**
 * Registers an afterEach that closes every database the file opened and
 * puts the clock back; returns a function that makes a fresh world.
 */
export function gateWorlds() {
  const opened: TestDb[] = [];
  afterEach(() => {
    vi.useRealTimers();
    while (opened.length > 0) opened.pop()?.close();
  });
  return () => {
    const open = memoryDb();
    opened.push(open);
    return world(open);
  };
}

export type World = ReturnType<typeof world>;

function world(open: TestDb) {
  const { db } = open;
  const people = cast(db);
  const lead = userActor(people.lead);
  const as = (who: keyof typeof people | User): Actor =>
    userActor(typeof who === "string" ? people[who] : who);
  return {
    db,
    sqlite: open.sqlite,
    people,
    lead,
    as,
    policy: (source: string, environment = "production", model = MODEL) =>
      savePolicy(db, lead, model, environment, source),
    register: (metrics: Metrics = {}, by: Actor = lead, model = MODEL) =>
      registerVersion(db, by, model, { metrics: toList(metrics) }).version.number,
    addMetrics: (version: number, metrics: Metrics, model = MODEL) =>
      addMetrics(db, lead, model, version, { metrics: toList(metrics) }),
    ask: (version: number, environment = "production", by: Actor = lead, model = MODEL) =>
      requestApproval(db, by, model, version, { environment }).request,
    approve: (who: keyof typeof people | User | Actor, requestId: number) =>
      decideRequest(db, actorOf(who), requestId, { decision: "approve" }),
    reject: (who: keyof typeof people | User | Actor, requestId: number, comment = "not good") =>
      decideRequest(db, actorOf(who), requestId, { decision: "reject", comment }),
    deploy: (version: number, environment = "production", model = MODEL) =>
      recordDeployment(db, lead, model, version, { environment }),
    status: (version: number, environment = "production", model = MODEL) =>
      readGateStatus(db, userActor(people.viewer), model, version, environment),
    request: (id: number) => {
      const row = getRequestById(db, id);
      if (!row) throw new Error(`no request ${id}`);
      return row;
    },
    decisions: (requestId: number) => listDecisionsOfRequest(db, requestId),
    auditActions: () =>
      db
        .select()
        .from(auditEvents)
        .orderBy(auditEvents.id)
        .all()
        .map((e) => e.action),
    auditEvents: (action: string) =>
      db
        .select()
        .from(auditEvents)
        .orderBy(auditEvents.id)
        .all()
        .filter((e) => e.action === action),
    /** Row counts of every table, to show that a call wrote nothing. */
    rowCounts: () => rowCounts(db),
  };

  function actorOf(who: keyof typeof people | User | Actor): Actor {
    if (typeof who === "string") return userActor(people[who]);
    return "type" in who && (who.type === "user" || who.type === "token")
      ? (who as Actor)
      : userActor(who as User);
  }
}

const TABLES = [
  "users",
  "groups",
  "group_members",
  "api_tokens",
  "registered_models",
  "model_versions",
  "metrics",
  "environments",
  "policies",
  "approval_requests",
  "decisions",
  "deployments",
  "audit_events",
];

export function rowCounts(db: Db): Record<string, number> {
  return Object.fromEntries(
    TABLES.map((t) => [
      t,
      db.get<{ n: number }>(sql`SELECT count(*) AS n FROM ${sql.identifier(t)}`).n,
    ]),
  );
}
