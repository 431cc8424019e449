import { asc, eq, inArray } from "drizzle-orm";
import type { DbOrTx } from "../client";
import { metrics, type Metric } from "../schema";

export type NewMetric = { name: string; value: number; step: number | null; split: string | null };

/** Adds metrics; a value for the same name, step and split replaces the old one. */
export function upsertMetrics(
  db: DbOrTx,
  versionId: number,
  rows: NewMetric[],
  at: Date,
): { replaced: number } {
  if (rows.length === 0) return { replaced: 0 };
  const key = (m: NewMetric) => JSON.stringify([m.name, m.step, m.split]);
  const incoming = new Set(rows.map(key));
  const stale = listMetricsOfVersion(db, versionId)
    .filter((m) => incoming.has(key(m)))
    .map((m) => m.id);
  if (stale.length > 0) db.delete(metrics).where(inArray(metrics.id, stale)).run();
  db.insert(metrics)
    .values(rows.map((m) => ({ ...m, versionId, createdAt: at })))
    .run();
  return { replaced: stale.length };
}

export function listMetricsOfVersion(db: DbOrTx, versionId: number): Metric[] {
  return db
    .select()
    .from(metrics)
    .where(eq(metrics.versionId, versionId))
    .orderBy(asc(metrics.name), asc(metrics.step), asc(metrics.id))
    .all();
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
