// Recording that a version went to an environment. Only an approved
// request lets a version through: expired, rejected or pending never do.
import type { Db } from "@/db/client";
import { appendAuditEvent } from "@/db/queries/audit";
import { getCurrentDeployment, insertDeployment } from "@/db/queries/deployments";
import { getLatestRequest } from "@/db/queries/requests";
import { conflict } from "@/lib/errors";
import { logFor } from "@/lib/log";
import { actorAudit, actorColumns, requirePermission, type Actor } from "./actor";
import { parseInput, recordDeploymentInput } from "./inputs";
import { getEnvironmentOrThrow, getVersionOrThrow } from "./lookup";
import { expireIfDue, expireOverdueRequests } from "./requests";
import { writeTransaction } from "./transaction";
import { emitDeploymentEvent } from "@/lib/webhooks/emit";

const log = logFor("deployments");

export function recordDeployment(
  db: Db,
  actor: Actor,
  modelName: string,
  number: number,
  body: unknown,
) {
  requirePermission(actor, "deployments:create");
  const input = parseInput(recordDeploymentInput, body ?? {}, "deployment");
  const at = new Date();
  expireOverdueRequests(db, at);

  const deployment = writeTransaction(db, (tx) => {
    const subject = getVersionOrThrow(tx, modelName, number);
    const environment = getEnvironmentOrThrow(tx, input.environment);
    const latest = getLatestRequest(tx, subject.version.id, environment.id);
    const request = latest ? expireIfDue(tx, latest, subject, at) : undefined;
    if (!request || request.status !== "approved") {
      const why = request
        ? `its request #${request.id} is ${request.status}` +
          (request.reason ? ` (${request.reason})` : "")
        : `it has no approval request for ${environment.name}`;
      throw conflict(
        "not_approved",
        `${modelName} v${number} is not approved for ${environment.name}: ${why}.`,
      );
    }
    // Recording the version that is already live again changes nothing: a
    // retried or doubled call must not push the rollback target away.
    const current = getCurrentDeployment(tx, subject.model.id, environment.id);
    if (current && current.versionId === subject.version.id) {
      const { versionNumber: _n, ...row } = current;
      return {
        ...row,
        environment: environment.name,
        model: modelName,
        version: number,
        created: false,
      };
    }
    const by = actorColumns(actor);
    const row = insertDeployment(
      tx,
      {
        versionId: subject.version.id,
        environmentId: environment.id,
        requestId: request.id,
        deployedByUserId: by.userId,
        deployedByTokenId: by.tokenId,
      },
      at,
    );
    emitDeploymentEvent(tx, row.id);
    appendAuditEvent(
      tx,
      {
        ...actorAudit(actor),
        action: "deployment.recorded",
        subjectType: "deployment",
        subjectId: row.id,
        modelId: subject.model.id,
        summary: `deployed ${modelName} v${number} to ${environment.name}`,
        details: { request_id: request.id, environment: environment.name },
      },
      at,
    );
    return {
      ...row,
      environment: environment.name,
      model: modelName,
      version: number,
      created: true,
    };
  });
  log.info(
    { model: modelName, version: number, environment: input.environment },
    "deployment recorded",
  );
  return deployment;
}
