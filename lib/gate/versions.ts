// Registering versions and their metrics: what pipelines send first.
import type { Db } from "@/db/client";
import { appendAuditEvent } from "@/db/queries/audit";
import {
  countMetricsOfVersion,
  listSummaryRowsOfVersion,
  upsertMetrics,
} from "@/db/queries/metrics";
import { MAX_METRICS_PER_VERSION } from "@/lib/limits";
import { getOrCreateModel } from "./models";
import { countDeploymentsOfVersion } from "@/db/queries/deployments";
import { conflict } from "@/lib/errors";
import { bumpMetricsRevision, insertNextVersion } from "@/db/queries/versions";
import { listOpenRequestsOfVersion } from "@/db/queries/requests";
import { badRequest } from "@/lib/errors";
import { logFor } from "@/lib/log";
import { actorAudit, actorColumns, requirePermission, type Actor } from "./actor";
import {
  addMetricsInput,
  MODEL_NAME,
  MODEL_NAME_RULE,
  parseInput,
  refuseDuplicateMetrics,
  type MetricInput,
  registerVersionInput,
} from "./inputs";
import { getVersionOrThrow } from "./lookup";
import { dismissStaleApprovals, reevaluateOpenRequests } from "./requests";
import { summaryValues } from "@/lib/metrics/summary";
import { writeTransaction } from "./transaction";
import { notifyRequestChanged } from "./request-events";

const log = logFor("versions");

const toMetricRow = (m: MetricInput) => ({
  name: m.name,
  value: m.value,
  step: m.step ?? null,
  split: m.split ?? null,
});

export function registerVersion(db: Db, actor: Actor, modelName: string, body: unknown) {
  requirePermission(actor, "versions:register");
  if (!MODEL_NAME.test(modelName)) {
    throw badRequest(
      "model_name",
      `Model name "${modelName}" is invalid: use ${MODEL_NAME_RULE}.`,
      [{ field: "name", rule: "model_name", message: `name: must be ${MODEL_NAME_RULE}` }],
    );
  }
  const input = parseInput(registerVersionInput, body, "version");
  refuseDuplicateMetrics(input.metrics);
  const at = new Date();
  const submitter = actorColumns(actor);

  const result = writeTransaction(db, (tx) => {
    const { model, created } = getOrCreateModel(tx, actor, modelName, at);
    const version = insertNextVersion(
      tx,
      model.id,
      {
        sourceUri: input.source_uri ?? null,
        runId: input.run_id ?? null,
        commitSha: input.commit ?? null,
        pipelineRunUrl: input.pipeline_run_url ?? null,
        description: input.description ?? null,
        params: input.params,
        tags: input.tags,
        submittedByUserId: submitter.userId,
        submittedByTokenId: submitter.tokenId,
      },
      at,
    );
    upsertMetrics(tx, version.id, input.metrics.map(toMetricRow), at);
    appendAuditEvent(
      tx,
      {
        ...actorAudit(actor),
        action: "version.registered",
        subjectType: "version",
        subjectId: version.id,
        modelId: model.id,
        summary: `registered ${modelName} v${version.number} with ${input.metrics.length} metrics`,
        details: {
          source_uri: version.sourceUri,
          run_id: version.runId,
          commit: version.commitSha,
        },
      },
      at,
    );
    return { model, version, created, metricCount: input.metrics.length };
  });
  log.info(
    { model: modelName, version: result.version.number, metrics: result.metricCount },
    "version registered",
  );
  return result;
}

export function addMetrics(db: Db, actor: Actor, modelName: string, number: number, body: unknown) {
  requirePermission(actor, "versions:register");
  const input = parseInput(addMetricsInput, body, "metrics");
  refuseDuplicateMetrics(input.metrics);
  const at = new Date();

  const result = writeTransaction(db, (tx, afterCommit) => {
    const { model, version } = getVersionOrThrow(tx, modelName, number);
    // A deployed version is the yardstick later candidates are compared with
    // (compare_to_deployed); letting its numbers move would move the bar.
    if (countDeploymentsOfVersion(tx, version.id) > 0) {
      throw conflict(
        "version_deployed",
        `${modelName} v${number} has been deployed; its metrics are part of the record and ` +
          "cannot change. Register a new version instead.",
      );
    }
    const before = summaryValues(listSummaryRowsOfVersion(tx, version.id));
    const { replaced, changed: pointsChanged } = upsertMetrics(
      tx,
      version.id,
      input.metrics.map(toMetricRow),
      at,
    );
    refuseOverVersionLimit(countMetricsOfVersion(tx, version.id));
    // The same numbers sent again (a re-run step) leave a reviewer's view valid.
    if (pointsChanged > 0) bumpMetricsRevision(tx, version.id, at);
    appendAuditEvent(
      tx,
      {
        ...actorAudit(actor),
        action: "metrics.recorded",
        subjectType: "version",
        subjectId: version.id,
        modelId: model.id,
        summary: `recorded ${input.metrics.length} metrics on ${modelName} v${number}`,
        details: { names: [...new Set(input.metrics.map((m) => m.name))], replaced },
      },
      at,
    );
    // The seed's classic fault: a gate waiting for results that arrive later.
    // Re-judging open requests here is what makes the late metrics count.
    const dismissed = dismissStaleApprovals(tx, { model, version }, before, at);
    const changed = [...dismissed, ...reevaluateOpenRequests(tx, { model, version }, at)];
    // Every open request's evidence changed, even when its status did not:
    // pages showing it refresh (lib/live), and waiters re-read their status.
    const open = listOpenRequestsOfVersion(tx, version.id).map((r) => r.id);
    const touched = [...new Set([...changed, ...open])];
    afterCommit(() => touched.forEach(notifyRequestChanged));
    return { model, version, added: input.metrics.length, replaced, reevaluated: changed.length };
  });
  log.info({ model: modelName, version: number, added: result.added }, "metrics recorded");
  return result;
}

/** Thrown inside the transaction, so the metrics that would pass the limit are rolled back. */
function refuseOverVersionLimit(total: number): void {
  if (total <= MAX_METRICS_PER_VERSION) return;
  const message =
    `metrics: a version holds at most ${MAX_METRICS_PER_VERSION} metric values ` +
    `(every step and split counts); this call would make ${total}`;
  throw badRequest("metrics_limit", message, [
    { field: "metrics", rule: "max_per_version", message },
  ]);
}
