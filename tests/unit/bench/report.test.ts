import { describe, expect, it } from "vitest";
import {
  percentile,
  ratioOf,
  renderNotes,
  renderTable,
  summarizeLoad,
  verdict,
  type BenchRow,
} from "../../../scripts/bench/report";

describe("percentile", () => {
  it("takes the nearest rank of unsorted samples", () => {
    const samples = [5, 1, 4, 2, 3, 10, 9, 8, 7, 6];
    expect(percentile(samples, 50)).toBe(5);
    expect(percentile(samples, 99)).toBe(10);
    expect(percentile(samples, 10)).toBe(1);
    expect(percentile([42], 99)).toBe(42);
  });

  it("is NaN without samples", () => {
    expect(percentile([], 50)).toBeNaN();
  });
});

describe("summarizeLoad", () => {
  it("counts only successful answers as throughput, and every failure as an error", () => {
    const s = summarizeLoad({
      "2xx": 900,
      duration: 10,
      requests: { average: 100, total: 1000 },
      latency: { p50: 3, p99: 12 },
      errors: 2,
      timeouts: 1,
      non2xx: 97,
    });
    expect(s).toEqual({ rps: 90, p50: 3, p99: 12, requests: 1000, errors: 100 });
  });
});

const row = (over: Partial<BenchRow>): BenchRow => ({
  row: "r",
  measured: 400,
  unit: "req/s",
  ...over,
});

describe("targets", () => {
  it("judges a ratio target against the reference of the same run", () => {
    const target = { on: "ratio", op: ">=", value: 0.5 } as const;
    expect(ratioOf(row({ reference: { label: "ceiling", value: 1000 } }))).toBe(0.4);
    expect(verdict(row({ reference: { label: "ceiling", value: 1000 }, target }))).toBe("miss");
    expect(verdict(row({ reference: { label: "ceiling", value: 800 }, target }))).toBe("pass");
  });

  it("judges an absolute ceiling on the figure itself", () => {
    const target = { on: "measured", op: "<=", value: 150 } as const;
    expect(verdict(row({ measured: 149, unit: "ms", target }))).toBe("pass");
    expect(verdict(row({ measured: 151, unit: "ms", target }))).toBe("miss");
  });

  it("counts a figure that could not be measured as a miss, and no target as no verdict", () => {
    const target = { on: "measured", op: "<=", value: 150 } as const;
    expect(verdict(row({ measured: Number.NaN, target }))).toBe("miss");
    expect(verdict(row({}))).toBeNull();
    expect(ratioOf(row({ reference: { label: "x", value: 0 } }))).toBeNull();
  });
});

describe("renderTable", () => {
  it("prints one aligned Markdown line per row with ratio, target and result", () => {
    const table = renderTable([
      row({
        row: "register req/s",
        measured: 612.4,
        reference: { label: "constant route", value: 2450 },
        target: { on: "ratio", op: ">=", value: 0.5 },
      }),
      row({
        row: "queue p99",
        measured: 88.25,
        unit: "ms",
        target: { on: "measured", op: "<=", value: 150 },
      }),
    ]);
    const lines = table.split("\n");
    expect(lines).toHaveLength(4);
    expect(lines[0]).toMatch(
      /^\| row +\| measured +\| reference +\| ratio +\| target +\| result +\|$/,
    );
    expect(lines[2]).toContain("| 612 req/s");
    expect(lines[2]).toContain("2,450 req/s (constant route)");
    expect(lines[2]).toContain("0.25×");
    expect(lines[2]).toContain("ratio ≥ 0.5");
    expect(lines[2]).toMatch(/\| miss +\|$/);
    expect(lines[3]).toContain("88.3 ms");
    expect(lines[3]).toContain("≤ 150 ms");
    expect(lines[3]).toMatch(/\| pass +\|$/);
    expect(new Set(lines.map((l) => l.length)).size).toBe(1);
  });

  it("lists the notes of the rows that have one", () => {
    expect(renderNotes([row({ row: "a", note: "why" }), row({ row: "b" })])).toBe("- a: why");
  });
});
