import { describe, expect, it } from "vitest";
import { summaryValues, type MetricRow } from "@/lib/metrics/summary";

let nextId = 1;
function row(
  name: string,
  value: number,
  step: number | null = null,
  split: string | null = null,
): MetricRow {
  return { id: nextId++, name, value, step, split };
}

describe("summaryValues", () => {
  it("gives one value per metric name", () => {
    expect(summaryValues([row("accuracy", 0.9), row("auc", 0.95)])).toEqual({
      accuracy: 0.9,
      auc: 0.95,
    });
  });

  it("prefers a value without a step over any point of a series", () => {
    const rows = [row("loss", 0.5, 1), row("loss", 0.1), row("loss", 0.05, 10)];
    expect(summaryValues(rows)).toEqual({ loss: 0.1 });
  });

  it("uses the last step of a series when there is no step-less value", () => {
    const rows = [row("loss", 0.2, 10), row("loss", 0.9, 1), row("loss", 0.5, 5)];
    expect(summaryValues(rows)).toEqual({ loss: 0.2 });
  });

  it("prefers the test split over the train split", () => {
    expect(
      summaryValues([row("accuracy", 0.99, null, "train"), row("accuracy", 0.91, null, "test")]),
    ).toEqual({
      accuracy: 0.91,
    });
    expect(
      summaryValues([row("accuracy", 0.91, null, "test"), row("accuracy", 0.99, null, "train")]),
    ).toEqual({
      accuracy: 0.91,
    });
  });

  it("prefers validation over an unsplit value and an unsplit value over train", () => {
    expect(summaryValues([row("f1", 0.8), row("f1", 0.7, null, "validation")])).toEqual({
      f1: 0.7,
    });
    expect(summaryValues([row("f1", 0.99, null, "train"), row("f1", 0.8)])).toEqual({ f1: 0.8 });
  });

  it("takes the newer row when two rows tie", () => {
    expect(summaryValues([row("accuracy", 0.8), row("accuracy", 0.85)])).toEqual({
      accuracy: 0.85,
    });
  });

  it("gives nothing for no rows", () => {
    expect(summaryValues([])).toEqual({});
  });
});
