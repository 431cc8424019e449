// A lead returns an environment to the version that was live before the
// current one. It is a deployment of its own (a new row, so the gate, the
// compare_to_deployed baseline and the timeline all follow it) and an
// audited action with a stated reason.
import { z } from "zod";
import type { Db } from "@/db/client";
import { appendAuditEvent } from "@/db/queries/audit";
import { insertDeployment, listDeploymentsInEnvironment } from "@/db/queries/deployments";
import { getLatestRequest } from "@/db/queries/requests";
import { getVersionByNumber } from "@/db/queries/versions";
import { conflict } from "@/lib/errors";
import { inOrder, rollbackTarget } from "@/lib/deployments/timeline";
import { logFor } from "@/lib/log";
import { emitDeploymentEvent } from "@/lib/webhooks/emit";
import { actorAudit, actorColumns, requirePermission, type Actor } from "./actor";
import { ENVIRONMENT_NAME, parseInput } from "./inputs";
import { getEnvironmentOrThrow, getModelOrThrow } from "./lookup";
import { writeTransaction } from "./transaction";

const log = logFor("deployments");

export const MAX_REASON_LENGTH = 2000;

export const rollbackInput = z.strictObject({
  environment: z
    .string({ error: "must be a string" })
    .regex(ENVIRONMENT_NAME, { error: "must be a lowercase environment name such as production" }),
  // The version the lead saw live: if someone changed it meanwhile, the
  // rollback would undo their change instead of the one the lead meant.
  expected_version: z.coerce
    .number({ error: "must be the version number now live" })
    .int({ error: "must be a whole number" })
    .positive({ error: "must be 1 or more" }),
  reason: z
    .string({ error: "is required: say why you roll back" })
    .trim()
    .min(1, { error: "is required: say why you roll back" })
    .max(MAX_REASON_LENGTH, { error: `must be at most ${MAX_REASON_LENGTH} characters` }),
});

export type RollbackInput = z.input<typeof rollbackInput>;

export function rollbackDeployment(db: Db, actor: Actor, modelName: string, body: unknown) {
  requirePermission(actor, "deployments:rollback");
  const input = parseInput(rollbackInput, body ?? {}, "rollback");
  const at = new Date();

  const result = writeTransaction(db, (tx) => {
    const model = getModelOrThrow(tx, modelName);
    const environment = getEnvironmentOrThrow(tx, input.environment);
    const where = `${modelName} in ${environment.name}`;
    const rows = listDeploymentsInEnvironment(tx, model.id, environment.id);
    const current = inOrder(rows).at(-1);
    if (!current) {
      throw conflict("nothing_to_roll_back", `Nothing has been deployed for ${where} yet.`);
    }
    // Compared inside the immediate transaction: of two leads who both saw
    // the same version live, the second finds it already changed.
    if (current.versionNumber !== input.expected_version) {
      throw conflict(
        "live_version_changed",
        `${where} is now v${current.versionNumber}, not v${input.expected_version}: ` +
          "it changed since you looked. Reload the page and check before rolling back.",
      );
    }
    const target = rollbackTarget(rows);
    if (!target) {
      throw conflict(
        "nothing_to_roll_back",
        `Nothing to roll back to: v${current.versionNumber} is the only version ` +
          `left to step back through for ${where}.`,
      );
    }
    // The approval that let the target through before must still stand.
    // Approved is final (it neither expires nor is superseded, and a deployed
    // version's metrics are frozen), so this refuses only a hand-edited past.
    const version = getVersionByNumber(tx, model.id, target.versionNumber);
    const request = version ? getLatestRequest(tx, version.id, environment.id) : undefined;
    if (!version || !request || request.status !== "approved") {
      throw conflict(
        "rollback_target_not_approved",
        `v${target.versionNumber} is no longer approved for ${environment.name}` +
          (request ? ` (request #${request.id} is ${request.status})` : "") +
          "; deploy an approved version instead.",
      );
    }

    const by = actorColumns(actor);
    const row = insertDeployment(
      tx,
      {
        versionId: version.id,
        environmentId: environment.id,
        requestId: request.id,
        deployedByUserId: by.userId,
        deployedByTokenId: by.tokenId,
        kind: "rollback",
        reason: input.reason,
      },
      at,
    );
    emitDeploymentEvent(tx, row.id);
    appendAuditEvent(
      tx,
      {
        ...actorAudit(actor),
        action: "deployment.rolled_back",
        subjectType: "deployment",
        subjectId: row.id,
        modelId: model.id,
        summary:
          `rolled back ${modelName} in ${environment.name} ` +
          `from v${current.versionNumber} to v${version.number}: ${input.reason}`,
        details: {
          environment: environment.name,
          from_version: current.versionNumber,
          to_version: version.number,
          reason: input.reason,
          request_id: request.id,
          replaced_deployment_id: current.id,
        },
      },
      at,
    );
    return {
      deployment: row,
      model: modelName,
      environment: environment.name,
      from: current.versionNumber,
      to: version.number,
    };
  });
  log.info(
    { model: modelName, environment: result.environment, from: result.from, to: result.to },
    "deployment rolled back",
  );
  return result;
}
