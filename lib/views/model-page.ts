// The model page: versions with the status of their newest request per
// environment, what is live where, one metric across versions, and each
// environment's deployment timeline with its rollback.
import type { Db } from "@/db/client";
import { listDeploymentHistoryOfModel, listDeploymentsOfModel } from "@/db/queries/deployments";
import { listEnvironments } from "@/db/queries/environments";
import { listMetricsOfVersions } from "@/db/queries/metrics";
import { listModelSummaries } from "@/db/queries/models";
import { listRequestsOfVersions } from "@/db/queries/requests";
import { listVersionsOfModel } from "@/db/queries/versions";
import type { User } from "@/db/schema";
import { requirePermission } from "@/lib/gate/actor";
import { getModelOrThrow } from "@/lib/gate/lookup";
import { summaryValues } from "@/lib/metrics/summary";
import { liveDuring, rollbackTarget, timeline } from "@/lib/deployments/timeline";
import { roleCan } from "@/lib/permissions";
import type { DayWindow } from "./day-window";

export function listModelsForUser(db: Db, user: User) {
  requirePermission({ type: "user", user }, "models:read");
  return listModelSummaries(db);
}

// TODO: every version is one table row and one chart point; a 1,000-version
// model answers in ~1 s with 2 MB of HTML (docs/benchmarks.md). Page the
// versions (keyset on the number) and read the trend for one metric in SQL.
export function getModelPage(
  db: Db,
  user: User,
  name: string,
  chosenMetric: string | null,
  day: DayWindow | null = null,
) {
  requirePermission({ type: "user", user }, "models:read");
  const model = getModelOrThrow(db, name);
  const versions = listVersionsOfModel(db, model.id);
  const environments = new Map(listEnvironments(db).map((e) => [e.id, e.name]));
  const metricRows = listMetricsOfVersions(
    db,
    versions.map((v) => v.id),
  );
  const deployments = listDeploymentsOfModel(db, model.id);
  const live = new Map<string, number>();
  for (const d of deployments)
    if (!live.has(d.environment)) live.set(d.environment, d.versionNumber);

  // Grouped once: filtering all rows per version made a 1,000-version page
  // take seconds (a million comparisons per thousand rows).
  const metricsByVersion = groupBy(metricRows, (m) => m.versionId);
  const statusesByVersion = new Map<number, Record<string, string>>();
  for (const r of listRequestsOfVersions(
    db,
    versions.map((v) => v.id),
  )) {
    const statuses = statusesByVersion.get(r.versionId) ?? {};
    statuses[environments.get(r.environmentId) ?? "?"] ??= r.status; // newest first
    statusesByVersion.set(r.versionId, statuses);
  }

  const rows = versions.map((v) => {
    const values = summaryValues(metricsByVersion.get(v.id) ?? []);
    const statuses = statusesByVersion.get(v.id) ?? {};
    const liveIn = [...live].filter(([, n]) => n === v.number).map(([env]) => env);
    return {
      number: v.number,
      createdAt: v.createdAt,
      sourceUri: v.sourceUri,
      values,
      statuses,
      liveIn,
    };
  });
  const metricNames = [
    ...new Set(metricRows.filter((m) => m.step === null).map((m) => m.name)),
  ].sort();
  const metric =
    chosenMetric && metricNames.includes(chosenMetric)
      ? chosenMetric
      : (["roc_auc", "accuracy"].find((m) => metricNames.includes(m)) ?? metricNames[0] ?? null);
  const trend = metric
    ? [...rows]
        .reverse()
        .filter((r) => Number.isFinite(r.values[metric]))
        .map((r) => ({ version: r.number, value: r.values[metric] as number }))
    : [];
  return {
    model: { id: model.id, name: model.name, createdAt: model.createdAt },
    versions: rows,
    live: Object.fromEntries(live),
    deployments,
    metricNames,
    metric,
    trend,
    environments: [...environments.values()],
    timelines: deploymentTimelines(db, user, model.id, day),
    mayRollBack: roleCan(user.role, "deployments:rollback"),
  };
}

/** Per environment with deployments: newest first, what a rollback would do, and the day's answer. */
function deploymentTimelines(db: Db, user: User, modelId: number, day: DayWindow | null) {
  const now = new Date();
  const history = listDeploymentHistoryOfModel(db, modelId);
  const names = [...new Set(history.map((d) => d.environment))].sort();
  const mayRollBack = roleCan(user.role, "deployments:rollback");
  return names.map((environment) => {
    const rows = history.filter((d) => d.environment === environment);
    const entries = timeline(rows, now);
    const current = entries.at(-1);
    const target = rollbackTarget(rows);
    return {
      environment,
      live: current?.versionNumber ?? null,
      entries: entries.reverse().map((e) => ({
        id: e.id,
        version: e.versionNumber,
        kind: e.kind,
        reason: e.reason,
        by: e.byUser ?? (e.byToken ? `token:${e.byToken}` : "unknown"),
        at: e.createdAt,
        replaced: e.replaced,
        liveForMs: e.liveForMs,
        current: e.until === null,
      })),
      rollback:
        mayRollBack && current && target
          ? { from: current.versionNumber, to: target.versionNumber }
          : null,
      onDay: day ? liveDuring(rows, day.start, day.end) : null,
    };
  });
}

function groupBy<T, K>(items: readonly T[], key: (item: T) => K): Map<K, T[]> {
  const groups = new Map<K, T[]>();
  for (const item of items) {
    const k = key(item);
    const group = groups.get(k);
    if (group) group.push(item);
    else groups.set(k, [item]);
  }
  return groups;
}
