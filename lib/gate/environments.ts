// Environments a version may go to. `staging` and `production` come with
// every installation; leads add more. Each has its own policy per model.
import type { Db } from "@/db/client";
import { appendAuditEvent } from "@/db/queries/audit";
import { getEnvironmentByName, insertEnvironment } from "@/db/queries/environments";
import { badRequest, conflict } from "@/lib/errors";
import { logFor } from "@/lib/log";
import { actorAudit, requirePermission, type Actor } from "./actor";
import { ENVIRONMENT_NAME } from "./inputs";
import { writeTransaction } from "./transaction";

const log = logFor("environments");

export function createEnvironment(db: Db, actor: Actor, name: string) {
  requirePermission(actor, "environments:manage");
  if (!ENVIRONMENT_NAME.test(name)) {
    throw badRequest(
      "environment_name",
      "Environment names are 1-40 lowercase letters, digits or '-', starting with a letter.",
      [
        {
          field: "name",
          rule: "environment_name",
          message: "name: lowercase letters, digits or -",
        },
      ],
    );
  }
  const at = new Date();
  const environment = writeTransaction(db, (tx) => {
    if (getEnvironmentByName(tx, name)) {
      throw conflict("environment_exists", `Environment ${name} already exists.`);
    }
    const row = insertEnvironment(tx, name, at);
    appendAuditEvent(
      tx,
      {
        ...actorAudit(actor),
        action: "environment.created",
        subjectType: "environment",
        subjectId: row.id,
        modelId: null,
        summary: `added environment ${name}`,
        details: null,
      },
      at,
    );
    return row;
  });
  log.info({ environment: name }, "environment created");
  return environment;
}
