import { describe, expect, it } from "vitest";
import { downsampleSeries, seriesFromRows, type SeriesPoint } from "@/lib/metrics/series";

function curve(n: number, f: (i: number) => number): SeriesPoint[] {
  return Array.from({ length: n }, (_, i) => ({ step: i, value: f(i) }));
}

const row = (name: string, value: number, step: number, split: string | null = null) =>
  [name, split, step, value] as const;

describe("downsampleSeries", () => {
  it("sends a short series unchanged", () => {
    const points = curve(10, (i) => i / 10);
    expect(downsampleSeries(points, 500)).toEqual(points);
  });

  it("bounds a 100,000-point series to the point budget", () => {
    const points = curve(100_000, (i) => Math.exp(-i / 20_000));
    const out = downsampleSeries(points, 500);
    expect(out.length).toBeLessThanOrEqual(500);
    expect(out.length).toBeGreaterThan(400);
  });

  it("keeps the first and the last point, so the final value stays on the line", () => {
    const points = curve(50_000, (i) => 1 / (i + 1));
    const out = downsampleSeries(points, 200);
    expect(out[0]).toEqual(points[0]);
    expect(out.at(-1)).toEqual(points.at(-1));
  });

  it("keeps a one-step spike and a one-step dip that a budget could skip", () => {
    const points = curve(20_000, (i) => (i === 7_777 ? 9 : i === 12_345 ? -3 : 0.5));
    const out = downsampleSeries(points, 50);
    expect(out).toContainEqual({ step: 7_777, value: 9 });
    expect(out).toContainEqual({ step: 12_345, value: -3 });
    expect(out.map((p) => p.step)).toEqual([...out.map((p) => p.step)].sort((a, b) => a - b));
  });
});

describe("seriesFromRows", () => {
  it("makes one line per split with its real count, extremes and last value", () => {
    const rows = [
      ...curve(3, (i) => 1 - i / 10).map((p) => row("loss", p.value, p.step, "train")),
      ...curve(3, (i) => 2 - i / 10).map((p) => row("loss", p.value, p.step, "validation")),
    ];
    const [loss] = seriesFromRows(rows);
    expect(loss?.metric).toBe("loss");
    expect(loss?.lines.map((l) => l.split)).toEqual(["train", "validation"]);
    expect(loss?.lines[1]).toMatchObject({
      count: 3,
      last: { step: 2, value: 1.8 },
      min: { step: 2, value: 1.8 },
      max: { step: 0, value: 2 },
    });
  });

  it("ignores names with a single step", () => {
    const rows = [row("auc", 0.8, 3), row("loss", 1, 0), row("loss", 0.5, 1)];
    expect(seriesFromRows(rows).map((s) => s.metric)).toEqual(["loss"]);
  });

  it("counts the points a log axis cannot draw over the whole series, not the sample", () => {
    const rows = curve(10_000, (i) => (i % 100 === 0 ? 0 : 1)).map((p) =>
      row("grad_norm", p.value, p.step),
    );
    const [series] = seriesFromRows(rows, 100);
    expect(series?.lines[0]?.nonPositive).toBe(100);
    expect(series?.lines[0]?.count).toBe(10_000);
    expect(series?.lines[0]?.points.length).toBeLessThanOrEqual(100);
  });

  it("orders points by step even when they arrive out of order", () => {
    const rows = [row("loss", 0.2, 10), row("loss", 0.9, 1), row("loss", 0.5, 5)];
    const [loss] = seriesFromRows(rows);
    expect(loss?.lines[0]?.points.map((p) => p.step)).toEqual([1, 5, 10]);
    expect(loss?.lines[0]?.last).toEqual({ step: 10, value: 0.2 });
  });
});
