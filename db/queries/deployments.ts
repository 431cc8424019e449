import { and, asc, desc, eq, sql } from "drizzle-orm";
import type { DbOrTx } from "../client";
import {
  apiTokens,
  deployments,
  environments,
  modelVersions,
  users,
  type Deployment,
} from "../schema";

export function insertDeployment(
  db: DbOrTx,
  input: Omit<typeof deployments.$inferInsert, "id" | "createdAt">,
  at: Date,
): Deployment {
  return db
    .insert(deployments)
    .values({ ...input, createdAt: at })
    .returning()
    .get();
}

/**
 * Filters on the environment without letting SQLite use it for an index:
 * with no statistics (no ANALYZE) the planner would otherwise walk every
 * deployment of the environment by date (deployments_env_created) to find
 * one model's, 150 ms at 40,000 deployments. The unary + leaves it the
 * model's versions and deployments_version_env: under 1 ms at any size.
 */
function sameEnvironment(environmentId: number) {
  return sql`+${deployments.environmentId} = ${environmentId}`;
}

/** The newest deployment of a model in an environment: what is live now. */
export function getCurrentDeployment(
  db: DbOrTx,
  modelId: number,
  environmentId: number,
): (Deployment & { versionNumber: number }) | undefined {
  return db
    .select({
      id: deployments.id,
      versionId: deployments.versionId,
      environmentId: deployments.environmentId,
      requestId: deployments.requestId,
      deployedByUserId: deployments.deployedByUserId,
      deployedByTokenId: deployments.deployedByTokenId,
      kind: deployments.kind,
      reason: deployments.reason,
      createdAt: deployments.createdAt,
      versionNumber: modelVersions.number,
    })
    .from(deployments)
    .innerJoin(modelVersions, eq(modelVersions.id, deployments.versionId))
    .where(and(eq(modelVersions.modelId, modelId), sameEnvironment(environmentId)))
    .orderBy(desc(deployments.createdAt), desc(deployments.id))
    .limit(1)
    .get();
}

export function listDeploymentsOfModel(db: DbOrTx, modelId: number) {
  return db
    .select({
      id: deployments.id,
      versionNumber: modelVersions.number,
      environment: environments.name,
      createdAt: deployments.createdAt,
    })
    .from(deployments)
    .innerJoin(modelVersions, eq(modelVersions.id, deployments.versionId))
    .innerJoin(environments, eq(environments.id, deployments.environmentId))
    .where(eq(modelVersions.modelId, modelId))
    .orderBy(desc(deployments.createdAt), desc(deployments.id))
    .all();
}

export function countDeploymentsOfVersion(db: DbOrTx, versionId: number): number {
  return (
    db
      .select({ n: sql<number>`count(*)` })
      .from(deployments)
      .where(eq(deployments.versionId, versionId))
      .get()?.n ?? 0
  );
}

/** Every deployment of a model, oldest first, with who made it and where. */
export function listDeploymentHistoryOfModel(db: DbOrTx, modelId: number) {
  return db
    .select({
      id: deployments.id,
      versionId: deployments.versionId,
      versionNumber: modelVersions.number,
      environmentId: deployments.environmentId,
      environment: environments.name,
      requestId: deployments.requestId,
      kind: deployments.kind,
      reason: deployments.reason,
      byUser: users.name,
      byToken: apiTokens.name,
      createdAt: deployments.createdAt,
    })
    .from(deployments)
    .innerJoin(modelVersions, eq(modelVersions.id, deployments.versionId))
    .innerJoin(environments, eq(environments.id, deployments.environmentId))
    .leftJoin(users, eq(users.id, deployments.deployedByUserId))
    .leftJoin(apiTokens, eq(apiTokens.id, deployments.deployedByTokenId))
    .where(eq(modelVersions.modelId, modelId))
    .orderBy(asc(deployments.createdAt), asc(deployments.id))
    .all();
}

/** One environment's deployments of a model, oldest first: what a rollback steps through. */
export function listDeploymentsInEnvironment(db: DbOrTx, modelId: number, environmentId: number) {
  return db
    .select({
      id: deployments.id,
      versionId: deployments.versionId,
      versionNumber: modelVersions.number,
      requestId: deployments.requestId,
      kind: deployments.kind,
      createdAt: deployments.createdAt,
    })
    .from(deployments)
    .innerJoin(modelVersions, eq(modelVersions.id, deployments.versionId))
    .where(and(eq(modelVersions.modelId, modelId), sameEnvironment(environmentId)))
    .orderBy(asc(deployments.createdAt), asc(deployments.id))
    .all();
}

export type CurrentDeployment = {
  modelId: number;
  environmentId: number;
  versionId: number;
  versionNumber: number;
  createdAt: Date;
};

/** What is live in each environment of these models, in one query. */
export function listCurrentDeploymentsOfModels(
  db: DbOrTx,
  modelIds: number[],
): CurrentDeployment[] {
  if (modelIds.length === 0) return [];
  const rows = db.all<{
    model_id: number;
    environment_id: number;
    version_id: number;
    number: number;
    created_at: number;
  }>(sql`SELECT model_id, environment_id, version_id, number, created_at FROM (
      SELECT v.model_id, d.environment_id, d.version_id, v.number, d.created_at,
        row_number() OVER (PARTITION BY v.model_id, d.environment_id
          ORDER BY d.created_at DESC, d.id DESC) AS rank
      FROM ${deployments} d JOIN ${modelVersions} v ON v.id = d.version_id
      WHERE v.model_id IN (SELECT value FROM json_each(${JSON.stringify(modelIds)}))
    ) WHERE rank = 1`);
  return rows.map((r) => ({
    modelId: r.model_id,
    environmentId: r.environment_id,
    versionId: r.version_id,
    versionNumber: r.number,
    createdAt: new Date(r.created_at),
  }));
}
