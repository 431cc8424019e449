import { describe, expect, it } from "vitest";
import { logAxisNote, prepareForLogAxis } from "@/lib/metrics/log-axis";

describe("prepareForLogAxis", () => {
  it("turns zero and negative values into gaps and counts them", () => {
    const out = prepareForLogAxis([
      { step: 0, value: 1 },
      { step: 1, value: 0 },
      { step: 2, value: -0.5 },
      { step: 3, value: 0.01 },
    ]);
    expect(out.points.map((p) => p.value)).toEqual([1, null, null, 0.01]);
    expect(out.hidden).toBe(2);
    expect(out.nothingToDraw).toBe(false);
  });

  it("says there is nothing to draw when every value is zero or negative", () => {
    const out = prepareForLogAxis([
      { step: 0, value: 0 },
      { step: 1, value: -1 },
    ]);
    expect(out.nothingToDraw).toBe(true);
  });

  it("keeps a positive series as it is", () => {
    const points = [
      { step: 0, value: 2 },
      { step: 1, value: 1e-9 },
    ];
    expect(prepareForLogAxis(points)).toEqual({ points, hidden: 0, nothingToDraw: false });
  });
});

describe("logAxisNote", () => {
  it("names how many points are hidden and why", () => {
    expect(logAxisNote(1_234, 100_000)).toBe(
      "1,234 points are zero or negative and cannot be drawn on a log axis: shown as gaps.",
    );
  });

  it("says the chart stays linear when no point can be drawn", () => {
    expect(logAxisNote(3, 3)).toMatch(/All 3 points are zero or negative.*stays linear/);
  });

  it("says nothing when every point is drawn", () => {
    expect(logAxisNote(0, 10)).toBeNull();
  });
});
