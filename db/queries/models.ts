import { asc, eq, sql } from "drizzle-orm";
import type { DbOrTx } from "../client";
import { modelVersions, registeredModels, type RegisteredModel } from "../schema";
import { preparedOnce } from "./prepared";

export function getModelByName(db: DbOrTx, name: string): RegisteredModel | undefined {
  // Read by every API call that names a model: compiled once per connection.
  const byName = preparedOnce(db, "models.byName", (d) =>
    d
      .select()
      .from(registeredModels)
      .where(eq(registeredModels.name, sql.placeholder("name")))
      .prepare(),
  );
  return byName.get({ name });
}

export function getModelById(db: DbOrTx, id: number): RegisteredModel | undefined {
  return db.select().from(registeredModels).where(eq(registeredModels.id, id)).get();
}

export function insertModel(db: DbOrTx, name: string, at: Date): RegisteredModel {
  return db
    .insert(registeredModels)
    .values({ name, createdAt: at, updatedAt: at })
    .returning()
    .get();
}

export type ModelSummary = RegisteredModel & { versionCount: number; latestVersion: number | null };

export function listModelSummaries(db: DbOrTx): ModelSummary[] {
  return db
    .select({
      id: registeredModels.id,
      name: registeredModels.name,
      description: registeredModels.description,
      createdAt: registeredModels.createdAt,
      updatedAt: registeredModels.updatedAt,
      versionCount: sql<number>`count(${modelVersions.id})`,
      latestVersion: sql<number | null>`max(${modelVersions.number})`,
    })
    .from(registeredModels)
    .leftJoin(modelVersions, eq(modelVersions.modelId, registeredModels.id))
    .groupBy(registeredModels.id)
    .orderBy(asc(registeredModels.name))
    .all();
}
