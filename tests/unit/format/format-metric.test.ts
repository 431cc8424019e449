import { describe, expect, it } from "vitest";
import { tooltipValue } from "@/components/charts/chart-theme";
import {
  decimalsToTellApart,
  formatDelta,
  formatMetric,
  formatSignificant,
  formatterFor,
  formattersByMetric,
} from "@/lib/format";

describe("formatMetric", () => {
  it("shows four decimals, enough to tell 0.8996 from 0.9004", () => {
    expect(formatMetric(0.8996)).toBe("0.8996");
    expect(formatMetric(0.9004)).toBe("0.9004");
  });

  it("never prints a value that is not zero as zero, in a table or beside a threshold", () => {
    expect(formatMetric(1e-9)).toBe("1.0e-9");
    expect(formatMetric(-0.00003)).toBe("-0.000030");
    expect(formatterFor([1e-9])(1e-9)).toBe("1.0e-9");
    expect(formatterFor([1e-9, 0])(1e-9)).toBe("0.000000001");
    expect(formatterFor([1e-9, 0])(0)).toBe("0.000000000");
  });

  it("shows one decimal from 100 up and a dash for a missing value", () => {
    expect(formatMetric(250.04)).toBe("250.0");
    expect(formatMetric(null)).toBe("—");
  });
});

describe("formatSignificant (chart ticks and tooltips)", () => {
  it("shows two significant digits of a value below 0.0001, not 0.0000", () => {
    expect(formatSignificant(0.000032)).toBe("0.000032");
    expect(formatSignificant(-0.0000456)).toBe("-0.000046");
    expect(formatSignificant(0.00000123)).toBe("0.0000012");
  });

  it("tells small ticks apart", () => {
    const ticks = [0.00001, 0.00002, 0.00003].map((t) => formatSignificant(t));
    expect(ticks).toEqual(["0.000010", "0.000020", "0.000030"]);
  });

  it("prints as formatMetric from 0.001 up, and zero and missing values alike", () => {
    for (const v of [0.0012, 0.8996, 0.9004, 250.04, 0, null]) {
      expect(formatSignificant(v)).toBe(formatMetric(v));
    }
  });

  it("takes the exact short form for a value too small for decimals", () => {
    expect(formatSignificant(3e-13)).toBe("3e-13");
  });

  it("is what the charts' ticks and tooltips print", () => {
    expect(tooltipValue(0.000032)).toBe("0.000032");
    expect(tooltipValue(0.8996)).toBe("0.8996");
  });
});

describe("formatterFor", () => {
  it("adds digits when a value and its threshold would print alike", () => {
    const format = formatterFor([0.89996, 0.9]);
    expect(format(0.89996)).toBe("0.89996");
    expect(format(0.9)).toBe("0.90000");
  });

  it("keeps four decimals when they already tell every value apart", () => {
    expect(decimalsToTellApart([0.8996, 0.9004, 0.9, null])).toBe(4);
  });

  it("tells large values apart too", () => {
    const format = formatterFor([250.04, 250]);
    expect([format(250.04), format(250)]).toEqual(["250.04", "250.00"]);
  });

  it("prints a row with one number of decimals, set by its largest value", () => {
    const format = formatterFor([60, 120, 300]);
    expect([format(60), format(120), format(300)]).toEqual(["60.0", "120.0", "300.0"]);
  });

  it("falls back to the exact form when only that differs", () => {
    const a = 0.1 + 0.2;
    const format = formatterFor([a, 0.3]);
    expect(format(a)).toBe("0.30000000000000004");
    expect(format(0.3)).toBe("0.3");
  });

  it("prints equal values the same", () => {
    expect(decimalsToTellApart([0.9, 0.9])).toBe(4);
  });
});

describe("formatDelta", () => {
  it("signs the difference", () => {
    expect(formatDelta(0.0008)).toBe("+0.0008");
    expect(formatDelta(-0.0123)).toBe("−0.0123");
    expect(formatDelta(0)).toBe("±0.0000");
  });

  it("never shows a non-zero difference as zero", () => {
    expect(formatDelta(0.9 - 0.89996)).toBe("+0.00004");
    expect(formatDelta(-60, 1)).toBe("−60.0");
  });
});

describe("formattersByMetric (the queue's value beside its thresholds)", () => {
  const check = (metric: string, actual: number | null, value: number) => ({
    metric,
    actual,
    value,
  });

  it("prints a value that fails by a hair with the digits that show it is below", () => {
    const formatFor = formattersByMetric([check("accuracy", 0.94996, 0.95)]);
    expect(formatFor("accuracy")(0.94996)).toBe("0.94996");
    expect(formatFor("accuracy")(0.95)).toBe("0.95000");
  });

  it("prints a value that passes by a hair with the digits that show it is above", () => {
    expect(formattersByMetric([check("accuracy", 0.95004, 0.95)])("accuracy")(0.95004)).toBe(
      "0.95004",
    );
  });

  it("gives every check of one metric the same digits, and other metrics their own", () => {
    const formatFor = formattersByMetric([
      check("accuracy", 0.94996, 0.95),
      check("accuracy", 0.94996, 0.9),
      check("latency_ms", 120, 300),
    ]);
    expect(formatFor("accuracy")(0.94996)).toBe("0.94996");
    expect(formatFor("latency_ms")(120)).toBe("120.0");
  });

  it("keeps four decimals when they tell the value from its threshold, and a dash when missing", () => {
    const formatFor = formattersByMetric([check("auc", 0.9123, 0.9), check("f1", null, 0.8)]);
    expect(formatFor("auc")(0.9123)).toBe("0.9123");
    expect(formatFor("f1")(null)).toBe("—");
    expect(formatFor("not-checked")(0.123456)).toBe("0.1235");
  });
});
