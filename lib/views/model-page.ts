// The model page: versions with the status of their newest request per
// environment, what is live where, and one metric across versions.
import type { Db } from "@/db/client";
import { listDeploymentsOfModel } from "@/db/queries/deployments";
import { listEnvironments } from "@/db/queries/environments";
import { listMetricsOfVersions } from "@/db/queries/metrics";
import { listModelSummaries } from "@/db/queries/models";
import { listRequestsOfVersion } from "@/db/queries/requests";
import { listVersionsOfModel } from "@/db/queries/versions";
import type { User } from "@/db/schema";
import { requirePermission } from "@/lib/gate/actor";
import { getModelOrThrow } from "@/lib/gate/lookup";
import { summaryValues } from "@/lib/metrics/summary";

export function listModelsForUser(db: Db, user: User) {
  requirePermission({ type: "user", user }, "models:read");
  return listModelSummaries(db);
}

export function getModelPage(db: Db, user: User, name: string, chosenMetric: string | null) {
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

  const rows = versions.map((v) => {
    const values = summaryValues(metricRows.filter((m) => m.versionId === v.id));
    const statuses: Record<string, string> = {};
    for (const r of listRequestsOfVersion(db, v.id)) {
      const env = environments.get(r.environmentId) ?? "?";
      statuses[env] ??= r.status;
    }
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
  };
}
