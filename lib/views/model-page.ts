// The model page: versions with the status of their newest request per
// environment, what is live where, one metric across versions, and each
// environment's deployment timeline with its rollback. The versions table is
// paged (keyset on the number) and the chart covers the newest versions only,
// so a model with thousands of versions costs what one with a hundred does.
import { z } from "zod";
import type { Db } from "@/db/client";
import { fieldErrorsFromZod } from "@/lib/errors";
import { listDeploymentHistoryOfModel, listDeploymentsOfModel } from "@/db/queries/deployments";
import { listEnvironments } from "@/db/queries/environments";
import { listSummaryNamesOfVersions, listSummaryRowsOfVersions } from "@/db/queries/metrics";
import { listModelSummaries } from "@/db/queries/models";
import { listRequestsOfVersions } from "@/db/queries/requests";
import { listVersionsOfModelPage } from "@/db/queries/versions";
import type { User } from "@/db/schema";
import { requirePermission } from "@/lib/gate/actor";
import { getModelOrThrow } from "@/lib/gate/lookup";
import { summaryValues, type MetricRow } from "@/lib/metrics/summary";
import { liveDuring, rollbackTarget, timeline } from "@/lib/deployments/timeline";
import { roleCan } from "@/lib/permissions";
import type { DayWindow } from "./day-window";
import { actorLabel } from "@/lib/actor-label";

export function listModelsForUser(db: Db, user: User) {
  requirePermission({ type: "user", user }, "models:read");
  return listModelSummaries(db);
}

/** Versions in one page of the table, newest first. */
export const VERSIONS_PER_PAGE = 50;
/** Versions the "metric across versions" chart covers, the newest ones. */
export const TREND_VERSIONS = 100;
/** Deployments shown per environment's timeline unless its whole history is asked for. */
export const TIMELINE_ENTRIES = 20;

const beforeParam = z.object({
  before: z.coerce
    .number({ error: "must be a version number" })
    .int({ error: "must be a whole version number" })
    .min(2, { error: "must be 2 or more (there is nothing older than v1)" }),
});

/**
 * The `before` query parameter of the versions table: null (newest page) when
 * absent, otherwise the version number the page starts below, or what is wrong.
 */
export function parseVersionsBefore(
  params: Record<string, string | string[] | undefined>,
): { ok: true; before: number | null } | { ok: false; message: string } {
  const raw = params.before;
  if (raw === undefined || raw === "") return { ok: true, before: null };
  const parsed = beforeParam.safeParse({ before: raw });
  if (!parsed.success) {
    const message = fieldErrorsFromZod(parsed.error.issues)
      .map((e) => e.message)
      .join("; ");
    return { ok: false, message };
  }
  return { ok: true, before: parsed.data.before };
}

export function getModelPage(
  db: Db,
  user: User,
  name: string,
  chosenMetric: string | null,
  day: DayWindow | null = null,
  before: number | null = null,
  /** The environment whose whole deployment history is shown; the others show the newest. */
  fullHistory: string | null = null,
) {
  requirePermission({ type: "user", user }, "models:read");
  const model = getModelOrThrow(db, name);
  // One row more than shown tells whether an older page exists.
  const fetched = listVersionsOfModelPage(db, model.id, before, VERSIONS_PER_PAGE + 1);
  const versions = fetched.slice(0, VERSIONS_PER_PAGE);
  const older = fetched.length > VERSIONS_PER_PAGE ? (versions.at(-1)?.number ?? null) : null;
  const environments = new Map(listEnvironments(db).map((e) => [e.id, e.name]));
  const deployments = listDeploymentsOfModel(db, model.id);
  const live = new Map<string, number>();
  for (const d of deployments)
    if (!live.has(d.environment)) live.set(d.environment, d.versionNumber);

  // The chart and the metric menu cover the newest versions whatever the
  // table's page; only their summary rows are read, for one metric.
  // TODO: a metric recorded only on versions older than the newest
  // TREND_VERSIONS is not offered in the menu; a names table per model (or
  // an index on metrics(name)) would let the menu list every name cheaply.
  const trendVersions = listVersionsOfModelPage(db, model.id, null, TREND_VERSIONS);
  const metricNames = listSummaryNamesOfVersions(
    db,
    trendVersions.map((v) => v.id),
  );
  const metric =
    chosenMetric && metricNames.includes(chosenMetric)
      ? chosenMetric
      : (["roc_auc", "accuracy"].find((m) => metricNames.includes(m)) ?? metricNames[0] ?? null);
  const trendValues = metric
    ? valuesByVersion(
        listSummaryRowsOfVersions(
          db,
          trendVersions.map((v) => v.id),
          metric,
        ),
      )
    : new Map<number, Record<string, number>>();
  const trend = metric
    ? [...trendVersions]
        .reverse()
        .map((v) => ({ version: v.number, value: trendValues.get(v.id)?.[metric] }))
        .filter((p): p is { version: number; value: number } => Number.isFinite(p.value))
    : [];

  const tableValues = metric
    ? valuesByVersion(
        listSummaryRowsOfVersions(
          db,
          versions.map((v) => v.id),
          metric,
        ),
      )
    : new Map<number, Record<string, number>>();
  const statusesByVersion = new Map<number, Record<string, string>>();
  for (const r of listRequestsOfVersions(
    db,
    versions.map((v) => v.id),
  )) {
    const statuses = statusesByVersion.get(r.versionId) ?? {};
    statuses[environments.get(r.environmentId) ?? "?"] ??= r.status; // newest first
    statusesByVersion.set(r.versionId, statuses);
  }

  const rows = versions.map((v) => ({
    number: v.number,
    createdAt: v.createdAt,
    sourceUri: v.sourceUri,
    values: tableValues.get(v.id) ?? {},
    statuses: statusesByVersion.get(v.id) ?? {},
    liveIn: [...live].filter(([, n]) => n === v.number).map(([env]) => env),
  }));
  return {
    model: { id: model.id, name: model.name, createdAt: model.createdAt },
    versions: rows,
    /** The `before` of the next older page, or null when this page holds v1. */
    older,
    /** Whether newer versions exist than this page shows. */
    newer: before !== null,
    live: Object.fromEntries(live),
    deployments,
    metricNames,
    metric,
    trend,
    trendVersions: TREND_VERSIONS,
    environments: [...environments.values()],
    timelines: deploymentTimelines(db, user, model.id, day, fullHistory),
    mayRollBack: roleCan(user.role, "deployments:rollback"),
  };
}

/**
 * Per environment with deployments: the newest entries (all of them for
 * `fullHistory`), how many there are, what a rollback would do, and the
 * day's answer. The day's answer and the rollback read every deployment;
 * only the rendered list is cut, since rendering is what costs (a model
 * with 436 deployments made 0.8 MB of HTML).
 */
function deploymentTimelines(
  db: Db,
  user: User,
  modelId: number,
  day: DayWindow | null,
  fullHistory: string | null,
) {
  const now = new Date();
  const history = listDeploymentHistoryOfModel(db, modelId);
  const names = [...new Set(history.map((d) => d.environment))].sort();
  const mayRollBack = roleCan(user.role, "deployments:rollback");
  return names.map((environment) => {
    const rows = history.filter((d) => d.environment === environment);
    const entries = timeline(rows, now);
    const current = entries.at(-1);
    const target = rollbackTarget(rows);
    const shown = environment === fullHistory ? entries.length : TIMELINE_ENTRIES;
    return {
      environment,
      live: current?.versionNumber ?? null,
      total: entries.length,
      entries: entries
        .reverse()
        .slice(0, shown)
        .map((e) => ({
          id: e.id,
          version: e.versionNumber,
          kind: e.kind,
          reason: e.reason,
          by: actorLabel({ user: e.byUser, token: e.byToken }),
          at: e.createdAt,
          replaced: e.replaced,
          liveForMs: e.liveForMs,
          current: e.until === null,
        })),
      rollback:
        mayRollBack && current && target
          ? { from: current.versionNumber, to: target.versionNumber }
          : null,
      // A day not begun has no answer; one going on is read up to now.
      onDay: day && day.when !== "future" ? liveDuring(rows, day.start, day.until) : null,
    };
  });
}

/** Summary values per version id from summary-candidate rows. */
function valuesByVersion(
  rows: readonly (MetricRow & { versionId: number })[],
): Map<number, Record<string, number>> {
  const byVersion = new Map<number, MetricRow[]>();
  for (const row of rows) {
    const group = byVersion.get(row.versionId);
    if (group) group.push(row);
    else byVersion.set(row.versionId, [row]);
  }
  return new Map([...byVersion].map(([id, group]) => [id, summaryValues(group)]));
}
