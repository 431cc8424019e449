import { and, desc, eq, lt, sql } from "drizzle-orm";
import type { DbOrTx } from "../client";
import { modelVersions, type ModelVersion } from "../schema";
import { preparedOnce } from "./prepared";

export type NewVersion = Omit<
  typeof modelVersions.$inferInsert,
  "id" | "number" | "modelId" | "createdAt" | "updatedAt"
>;

/**
 * Takes the next number of a model. Safe only inside an immediate
 * transaction: the write lock is held from the read to the insert, and the
 * unique index on (model, number) backs it up.
 */
export function insertNextVersion(
  db: DbOrTx,
  modelId: number,
  input: NewVersion,
  at: Date,
): ModelVersion {
  const next = preparedOnce(db, "versions.nextNumber", (d) =>
    d
      .select({ next: sql<number>`coalesce(max(${modelVersions.number}), 0) + 1` })
      .from(modelVersions)
      .where(eq(modelVersions.modelId, sql.placeholder("modelId")))
      .prepare(),
  );
  const insert = preparedOnce(db, "versions.insert", (d) =>
    d
      .insert(modelVersions)
      .values({
        modelId: sql.placeholder("modelId"),
        number: sql.placeholder("number"),
        sourceUri: sql.placeholder("sourceUri"),
        runId: sql.placeholder("runId"),
        commitSha: sql.placeholder("commitSha"),
        pipelineRunUrl: sql.placeholder("pipelineRunUrl"),
        description: sql.placeholder("description"),
        params: sql.placeholder("params"),
        tags: sql.placeholder("tags"),
        submittedByUserId: sql.placeholder("submittedByUserId"),
        submittedByTokenId: sql.placeholder("submittedByTokenId"),
        createdAt: sql.placeholder("createdAt"),
        updatedAt: sql.placeholder("updatedAt"),
      })
      .returning()
      .prepare(),
  );
  return insert.get({
    sourceUri: null,
    runId: null,
    commitSha: null,
    pipelineRunUrl: null,
    description: null,
    submittedByUserId: null,
    submittedByTokenId: null,
    ...input,
    modelId,
    number: next.get({ modelId })?.next ?? 1,
    createdAt: at,
    updatedAt: at,
  })!;
}

/** Marks a change of a version's metrics after registration (see the schema). */
export function bumpMetricsRevision(db: DbOrTx, versionId: number, at: Date): void {
  db.update(modelVersions)
    .set({ metricsRevision: sql`${modelVersions.metricsRevision} + 1`, updatedAt: at })
    .where(eq(modelVersions.id, versionId))
    .run();
}

export function getVersionByNumber(
  db: DbOrTx,
  modelId: number,
  number: number,
): ModelVersion | undefined {
  return db
    .select()
    .from(modelVersions)
    .where(and(eq(modelVersions.modelId, modelId), eq(modelVersions.number, number)))
    .get();
}

export function getVersionById(db: DbOrTx, id: number): ModelVersion | undefined {
  return db.select().from(modelVersions).where(eq(modelVersions.id, id)).get();
}

export function listVersionsOfModel(db: DbOrTx, modelId: number): ModelVersion[] {
  return db
    .select()
    .from(modelVersions)
    .where(eq(modelVersions.modelId, modelId))
    .orderBy(desc(modelVersions.number))
    .all();
}

/**
 * One page of a model's versions, newest first: up to `limit` numbered below
 * `before` (all when null). Numbers are unique per model, so "below the last
 * number shown" neither repeats nor skips a version between pages.
 */
export function listVersionsOfModelPage(
  db: DbOrTx,
  modelId: number,
  before: number | null,
  limit: number,
): ModelVersion[] {
  return db
    .select()
    .from(modelVersions)
    .where(
      before === null
        ? eq(modelVersions.modelId, modelId)
        : and(eq(modelVersions.modelId, modelId), lt(modelVersions.number, before)),
    )
    .orderBy(desc(modelVersions.number))
    .limit(limit)
    .all();
}
