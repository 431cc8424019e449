import { and, desc, eq, sql } from "drizzle-orm";
import type { DbOrTx } from "../client";
import { deployments, environments, modelVersions, type Deployment } from "../schema";

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
    .where(and(eq(modelVersions.modelId, modelId), eq(deployments.environmentId, environmentId)))
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
