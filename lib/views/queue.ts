// The review queue: one page of requests under the URL's filters, each with
// its key metrics against the thresholds of the policy that judges it, and
// the counts the navigation shows. A page costs a fixed number of queries
// whatever its size: policies, metrics, live versions and the viewer's own
// decisions are read once per page, not once per row.
import type { Db } from "@/db/client";
import { listRequestIdsDecidedBy } from "@/db/queries/decisions";
import { listCurrentDeploymentsOfModels } from "@/db/queries/deployments";
import { listEnvironments } from "@/db/queries/environments";
import { listMetricsOfVersions } from "@/db/queries/metrics";
import {
  countOpenRequests,
  countRequestsWaitingFor,
  listPolicyIdsOfPendingRequests,
  listQueuePage,
  type QueueRow,
  type WaitingForFilter,
} from "@/db/queries/request-queue";
import type { Metric, User } from "@/db/schema";
import { eligibilityOf, type Person } from "@/lib/approvals/quorum";
import { personOf } from "@/lib/gate/people";
import { expireOverdueRequests } from "@/lib/gate/requests";
import { isDatabaseBusy } from "@/lib/http/database-busy";
import { logFor } from "@/lib/log";
import { summaryValues } from "@/lib/metrics/summary";
import type { Policy } from "@/lib/policy/policy";
import { thresholdChecks, type ThresholdCheck } from "@/lib/policy/thresholds";
import { policiesByIds } from "@/lib/queue/parsed-policies";
import { statusesOf, type Cursor, type QueueFilters } from "@/lib/queue/filters";
import { rememberFor } from "@/lib/queue/per-person-cache";
import { waitingForFilterOf } from "@/lib/queue/waiting-for";
import { actorLabel } from "@/lib/actor-label";

const log = logFor("queue");

export type QueueItem = {
  requestId: number;
  model: string;
  version: number;
  environment: string;
  status: string;
  reason: string | null;
  createdAt: Date;
  submitter: string;
  checks: ThresholdCheck[];
  missing: string[];
  canDecide: boolean;
  whyNot: string | null;
};

export type QueuePage = {
  items: QueueItem[];
  next: Cursor | null;
  previous: Cursor | null;
  environments: string[];
  problems: string[];
  /** The filters really applied: an ignored one is left out, so links do not carry it on. */
  filters: QueueFilters;
};

/** The requests this person may decide now, as a filter the SQL applies. */
function waitingFor(db: Db, person: Person): WaitingForFilter {
  return rememberFor(db, "waiting-for", person, () =>
    waitingForFilterOf(person, policiesByIds(db, listPolicyIdsOfPendingRequests(db))),
  );
}

function whyNotOf(person: Person, policy: Policy, row: QueueRow, decided: boolean): string | null {
  const eligibility = eligibilityOf(person, policy, [
    row.submittedByUserId,
    row.request.requestedByUserId,
  ]);
  if (!eligibility.eligible) return eligibility.reason;
  if (decided) return "You have already decided this request.";
  if (row.request.status === "awaiting_metrics")
    return "Waiting for required metrics before review can start.";
  if (row.request.status !== "pending_review") return `This request is ${row.request.status}.`;
  return null;
}

/**
 * Expires overdue requests before the queue is read. A page must render even
 * when another writer holds the lock past the busy timeout: the sweep is then
 * skipped (and logged), so an overdue request may still show as open for one
 * view. It stays fail-closed: deciding or deploying it expires it first.
 */
function expireOverdueUnlessBusy(db: Db): void {
  try {
    expireOverdueRequests(db);
  } catch (error) {
    if (!isDatabaseBusy(error)) throw error;
    log.warn("database busy: the queue is shown without expiring overdue requests first");
  }
}

export function getQueuePage(db: Db, user: User, asked: QueueFilters): QueuePage {
  expireOverdueUnlessBusy(db);
  const person = personOf(db, user);
  const environments = listEnvironments(db).map((e) => e.name);
  const problems: string[] = [];
  let filters = asked;
  if (asked.environment && !environments.includes(asked.environment)) {
    problems.push(`environment: there is no environment named ${asked.environment}`);
    filters = { ...asked, environment: null };
  }

  const page = listQueuePage(db, {
    statuses: statusesOf(filters.status),
    environment: filters.environment,
    modelContains: filters.model,
    submitterContains: filters.submitter,
    waitingFor: filters.mine ? waitingFor(db, person) : null,
    sort: filters.sort,
    cursor: filters.cursor,
    limit: filters.size,
  });
  const rows = page.rows;

  const policies = policiesByIds(
    db,
    rows.map((r) => r.request.policyId),
  );
  const live = listCurrentDeploymentsOfModels(db, [...new Set(rows.map((r) => r.modelId))]);
  const metricsByVersion = new Map<number, Metric[]>();
  const versionIds = [...rows.map((r) => r.request.versionId), ...live.map((l) => l.versionId)];
  for (const m of listMetricsOfVersions(db, [...new Set(versionIds)])) {
    const list = metricsByVersion.get(m.versionId) ?? [];
    list.push(m);
    metricsByVersion.set(m.versionId, list);
  }
  const valuesOf = (versionId: number) => summaryValues(metricsByVersion.get(versionId) ?? []);
  const decided = new Set(
    listRequestIdsDecidedBy(
      db,
      user.id,
      rows.map((r) => r.request.id),
    ),
  );

  const items = rows.map((row): QueueItem => {
    const policy = policies.get(row.request.policyId);
    if (!policy) throw new Error(`policy ${row.request.policyId} was not loaded`);
    const values = valuesOf(row.request.versionId);
    const deployed = live.find(
      (l) => l.modelId === row.modelId && l.environmentId === row.request.environmentId,
    );
    // A candidate that is itself live is compared with nothing.
    const baseline =
      deployed && deployed.versionId !== row.request.versionId
        ? valuesOf(deployed.versionId)
        : null;
    const whyNot = whyNotOf(person, policy, row, decided.has(row.request.id));
    return {
      requestId: row.request.id,
      model: row.modelName,
      version: row.versionNumber,
      environment: row.environment,
      status: row.request.status,
      reason: row.request.reason,
      createdAt: row.request.createdAt,
      submitter: actorLabel({ user: row.submitterName, token: row.submitterTokenName }),
      checks: thresholdChecks(policy, values, baseline),
      missing: policy.requiredMetrics.filter((m) => !Number.isFinite(values[m])),
      canDecide: whyNot === null,
      whyNot,
    };
  });
  const cursor = (key: { createdAt: number; id: number } | null, direction: Cursor["direction"]) =>
    key ? { ...key, direction } : null;
  return {
    items,
    next: cursor(page.next, "after"),
    previous: cursor(page.previous, "before"),
    environments,
    problems,
    filters,
  };
}

/**
 * What the navigation shows on every page: how many open requests wait for
 * this person and how many are open at all. Two counts over the open
 * requests, no page built.
 */
export function getQueueCounts(db: Db, user: User): { waitingForYou: number; open: number } {
  const person = personOf(db, user);
  return rememberFor(db, "counts", person, () => {
    const now = new Date();
    return {
      waitingForYou: countRequestsWaitingFor(db, waitingFor(db, person), now),
      open: countOpenRequests(db, now),
    };
  });
}
