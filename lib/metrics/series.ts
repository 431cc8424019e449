// Learning curves as the page sends them: one line per split, at most
// MAX_SERIES_POINTS points each, downsampled with LTTB on the server so a
// 100,000-step series costs the browser no more than a short one. The real
// first, last, lowest and highest points are always kept, and counted
// before downsampling, so the chart never hides the value that matters.
import { createLTTB } from "downsample/methods/LTTB";

export const MAX_SERIES_POINTS = 500;

export type SeriesPoint = { step: number; value: number };
/** [name, split, step, value], as the metrics query returns them. */
export type SeriesTuple = readonly [
  name: string,
  split: string | null,
  step: number,
  value: number,
];

export type SeriesLine = {
  split: string | null;
  /** Points as stored, before downsampling. */
  count: number;
  points: SeriesPoint[];
  first: SeriesPoint;
  last: SeriesPoint;
  min: SeriesPoint;
  max: SeriesPoint;
  /** Points with a value <= 0: a log axis cannot draw them. */
  nonPositive: number;
};

export type Series = { metric: string; lines: SeriesLine[] };

const lttb = createLTTB<SeriesPoint>({ x: "step", y: "value" });

/** Points sorted by step; keeps the first and last, the lowest and the highest. */
export function downsampleSeries(
  sorted: readonly SeriesPoint[],
  maxPoints = MAX_SERIES_POINTS,
): SeriesPoint[] {
  if (sorted.length <= maxPoints) return [...sorted];
  const extremes = extremesOf(sorted);
  // Two places are kept for the extremes LTTB may have passed over.
  const kept = Array.from(lttb(sorted as SeriesPoint[], Math.max(3, maxPoints - 2)));
  const steps = new Set(kept.map((p) => p.step));
  for (const p of [extremes.min, extremes.max]) {
    if (!steps.has(p.step)) {
      kept.push(p);
      steps.add(p.step);
    }
  }
  return kept.sort((a, b) => a.step - b.step);
}

function extremesOf(points: readonly SeriesPoint[]) {
  let min = points[0] as SeriesPoint;
  let max = min;
  let nonPositive = 0;
  for (const p of points) {
    if (p.value < min.value) min = p;
    if (p.value > max.value) max = p;
    if (p.value <= 0) nonPositive++;
  }
  return { min, max, nonPositive };
}

function lineOf(split: string | null, points: SeriesPoint[], maxPoints: number): SeriesLine {
  const { min, max, nonPositive } = extremesOf(points);
  return {
    split,
    count: points.length,
    points: downsampleSeries(points, maxPoints),
    first: points[0] as SeriesPoint,
    last: points[points.length - 1] as SeriesPoint,
    min,
    max,
    nonPositive,
  };
}

/**
 * Metrics recorded with steps, grouped by name then split. A name counts as
 * a series when one of its splits has two or more steps.
 */
export function seriesFromRows(
  rows: readonly SeriesTuple[],
  maxPoints = MAX_SERIES_POINTS,
): Series[] {
  const byName = new Map<string, Map<string | null, SeriesPoint[]>>();
  for (const [name, split, step, value] of rows) {
    let splits = byName.get(name);
    if (!splits) byName.set(name, (splits = new Map()));
    let points = splits.get(split);
    if (!points) splits.set(split, (points = []));
    points.push({ step, value });
  }
  const out: Series[] = [];
  for (const [metric, splits] of byName) {
    if (![...splits.values()].some((p) => p.length >= 2)) continue;
    const lines = [...splits]
      .sort(([a], [b]) => (a ?? "").localeCompare(b ?? ""))
      .map(([split, points]) => {
        // Cheap when already in order, which is the usual case.
        if (!isSorted(points)) points.sort((a, b) => a.step - b.step);
        return lineOf(split, points, maxPoints);
      });
    out.push({ metric, lines });
  }
  return out.sort((a, b) => a.metric.localeCompare(b.metric));
}

function isSorted(points: readonly SeriesPoint[]): boolean {
  for (let i = 1; i < points.length; i++) {
    if ((points[i] as SeriesPoint).step < (points[i - 1] as SeriesPoint).step) return false;
  }
  return true;
}
