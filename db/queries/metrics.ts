import { and, asc, eq, inArray, isNotNull, sql } from "drizzle-orm";
import type { DbOrTx } from "../client";
import { metrics, type Metric } from "../schema";
import { preparedOnce } from "./prepared";

export type NewMetric = { name: string; value: number; step: number | null; split: string | null };

/**
 * Adds metrics; a value for the same name, step and split replaces the old
 * one. `changed` counts the points that are new or hold another value: a
 * pipeline that sends the same numbers again changes nothing.
 */
export function upsertMetrics(
  db: DbOrTx,
  versionId: number,
  rows: NewMetric[],
  at: Date,
): { replaced: number; changed: number } {
  if (rows.length === 0) return { replaced: 0, changed: 0 };
  // One indexed delete and one insert per point, each a statement compiled
  // once per connection: a series sent in parts costs each call its own size,
  // not the size of everything stored before it, and no statement nears
  // SQLite's limit of bound values (a multi-row insert of 10,000 points would).
  const stale = preparedOnce(db, "metrics.deleteSame", (d) =>
    d
      .delete(metrics)
      .where(
        and(
          eq(metrics.versionId, sql.placeholder("versionId")),
          eq(metrics.name, sql.placeholder("name")),
          sql`${metrics.step} IS ${sql.placeholder("step")}`,
          sql`${metrics.split} IS ${sql.placeholder("split")}`,
        ),
      )
      .returning({ value: metrics.value })
      .prepare(),
  );
  let replaced = 0;
  let changed = 0;
  for (const m of rows) {
    const old = stale.all({ versionId, name: m.name, step: m.step, split: m.split });
    replaced += old.length;
    if (old.length === 0 || old.some((o) => !Object.is(o.value, m.value))) changed += 1;
  }
  const insert = preparedOnce(db, "metrics.insert", (d) =>
    d
      .insert(metrics)
      .values({
        versionId: sql.placeholder("versionId"),
        name: sql.placeholder("name"),
        value: sql.placeholder("value"),
        step: sql.placeholder("step"),
        split: sql.placeholder("split"),
        createdAt: sql.placeholder("createdAt"),
      })
      .prepare(),
  );
  for (const m of rows) insert.run({ ...m, versionId, createdAt: at });
  return { replaced, changed };
}

export function listMetricsOfVersion(db: DbOrTx, versionId: number): Metric[] {
  return db
    .select()
    .from(metrics)
    .where(eq(metrics.versionId, versionId))
    .orderBy(asc(metrics.name), asc(metrics.step), asc(metrics.id))
    .all();
}

export type MetricPoint = Pick<Metric, "id" | "name" | "value" | "step" | "split">;

/** A point of a series as a tuple: 100,000 of them cost far less than objects. */
export type SeriesTuple = [name: string, split: string | null, step: number, value: number];

/**
 * Every point recorded with a step, in name and step order. The order is
 * read straight from the metrics_version_name index (its entries end in the
 * row id), so 100,000 points need no sort, and rows come back as arrays
 * without per-row objects.
 */
export function listSeriesPointsOfVersion(db: DbOrTx, versionId: number): SeriesTuple[] {
  return db
    .select({ name: metrics.name, split: metrics.split, step: metrics.step, value: metrics.value })
    .from(metrics)
    .where(and(eq(metrics.versionId, versionId), isNotNull(metrics.step)))
    .orderBy(asc(metrics.name), asc(metrics.step), asc(metrics.id))
    .values() as SeriesTuple[];
}

/**
 * The rows a summary value can come from (see lib/metrics/summary.ts): every
 * value without a step, and for each name and split the point with the
 * highest step. A 100,000-step series gives one row here instead of all of
 * them, so judging a request does not read the whole curve.
 */
export function listSummaryRowsOfVersion(db: DbOrTx, versionId: number): MetricPoint[] {
  // SQLite takes the bare columns of a max() group from the row holding the maximum.
  return db.all<MetricPoint>(sql`
    SELECT id, name, value, step, split FROM metrics
    WHERE version_id = ${versionId} AND step IS NULL
    UNION ALL
    SELECT id, name, value, max(step) AS step, split FROM metrics
    WHERE version_id = ${versionId} AND step IS NOT NULL
    GROUP BY name, split`);
}

export function listMetricsOfVersions(db: DbOrTx, versionIds: number[]): Metric[] {
  if (versionIds.length === 0) return [];
  return db
    .select()
    .from(metrics)
    .where(inArray(metrics.versionId, versionIds))
    .orderBy(asc(metrics.versionId), asc(metrics.name), asc(metrics.step), asc(metrics.id))
    .all();
}

/** Every value a version holds, for the per-version limit in lib/limits.ts. */
export function countMetricsOfVersion(db: DbOrTx, versionId: number): number {
  return (
    db
      .select({ n: sql<number>`count(*)` })
      .from(metrics)
      .where(eq(metrics.versionId, versionId))
      .get()?.n ?? 0
  );
}

/**
 * The summary-candidate rows (as listSummaryRowsOfVersion) of many versions,
 * optionally of one metric name: a learning curve gives one row per split,
 * not its every step.
 */
export function listSummaryRowsOfVersions(
  db: DbOrTx,
  versionIds: number[],
  name: string | null = null,
): (MetricPoint & { versionId: number })[] {
  if (versionIds.length === 0) return [];
  const ids = sql.join(
    versionIds.map((id) => sql`${id}`),
    sql`, `,
  );
  const ofName = name === null ? sql`` : sql` AND name = ${name}`;
  return db.all(sql`
    SELECT id, version_id AS versionId, name, value, step, split FROM metrics
    WHERE version_id IN (${ids}) AND step IS NULL${ofName}
    UNION ALL
    SELECT id, version_id AS versionId, name, value, max(step) AS step, split FROM metrics
    WHERE version_id IN (${ids}) AND step IS NOT NULL${ofName}
    GROUP BY version_id, name, split`);
}

/** Names with a value (not a series) on any of the versions, sorted. */
export function listSummaryNamesOfVersions(db: DbOrTx, versionIds: number[]): string[] {
  if (versionIds.length === 0) return [];
  return db
    .selectDistinct({ name: metrics.name })
    .from(metrics)
    .where(and(inArray(metrics.versionId, versionIds), sql`${metrics.step} IS NULL`))
    .orderBy(asc(metrics.name))
    .all()
    .map((r) => r.name);
}
