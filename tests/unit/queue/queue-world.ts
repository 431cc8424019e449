// Rows for queue tests, written straight to the tables: model names the API
// would refuse (quotes, `%`, `\`) and many requests sharing one timestamp.
import type { Db } from "@/db/client";
import { getEnvironmentByName } from "@/db/queries/environments";
import { insertModel } from "@/db/queries/models";
import { insertRequest } from "@/db/queries/requests";
import { insertNextVersion } from "@/db/queries/versions";
import type { RequestStatus } from "@/db/schema";

export function environmentId(db: Db, name = "production"): number {
  const env = getEnvironmentByName(db, name);
  if (!env) throw new Error(`no environment ${name}`);
  return env.id;
}

/** A model with one version; returns the version id. */
export function addModel(db: Db, name: string, at = new Date(1_000)): number {
  const model = insertModel(db, name, at);
  return insertNextVersion(
    db,
    model.id,
    {
      sourceUri: null,
      runId: null,
      commitSha: null,
      pipelineRunUrl: null,
      description: null,
      params: {},
      tags: {},
      submittedByUserId: null,
      submittedByTokenId: null,
    },
    at,
  ).id;
}

/** A request for a version, created at `at`; returns its id. */
export function addRequest(
  db: Db,
  versionId: number,
  at: Date,
  status: RequestStatus = "pending_review",
  environment = "production",
): number {
  return insertRequest(
    db,
    {
      versionId,
      environmentId: environmentId(db, environment),
      policyId: null,
      status,
      reason: null,
      note: null,
      requestedByUserId: null,
      requestedByTokenId: null,
      expiresAt: null,
      finalizedAt: null,
    },
    at,
  ).id;
}
