// A long series arrives in parts through the metrics call; what is stored
// and what a policy judges must be the same as if it came in one piece.
import { afterEach, describe, expect, it } from "vitest";
import {
  listMetricsOfVersion,
  listSeriesPointsOfVersion,
  listSummaryRowsOfVersion,
} from "@/db/queries/metrics";
import { addMetrics, registerVersion } from "@/lib/gate/versions";
import { MAX_METRICS_PER_CALL } from "@/lib/gate/inputs";
import { summaryValues } from "@/lib/metrics/summary";
import { cast, memoryDb, thrown, userActor, type TestDb } from "../helpers/test-db";

const opened: TestDb[] = [];
afterEach(() => opened.splice(0).forEach((o) => o.close()));

function setup() {
  const open = memoryDb();
  opened.push(open);
  const lead = userActor(cast(open.db).lead);
  const { version } = registerVersion(open.db, lead, "big-model", {
    metrics: [
      { name: "accuracy", value: 0.91, split: "test" },
      { name: "accuracy", value: 0.97, split: "train" },
    ],
  });
  return { db: open.db, lead, version };
}

const loss = (from: number, count: number, split: string | null = null) =>
  Array.from({ length: count }, (_, i) => ({
    name: "loss",
    value: 1 / (from + i + 1),
    step: from + i,
    split,
  }));

describe("a series sent in several metrics calls", () => {
  it("stores 30,000 points sent as three calls of 10,000, in step order", () => {
    const { db, lead, version } = setup();
    for (let part = 0; part < 3; part++) {
      const result = addMetrics(db, lead, "big-model", 1, {
        metrics: loss(part * MAX_METRICS_PER_CALL, MAX_METRICS_PER_CALL),
      });
      expect(result).toMatchObject({ added: 10_000, replaced: 0 });
    }
    const points = listSeriesPointsOfVersion(db, version.id);
    expect(points).toHaveLength(30_000);
    expect(points.map((p) => p[2])).toEqual(Array.from({ length: 30_000 }, (_, i) => i));
    expect(points.at(-1)).toEqual(["loss", null, 29_999, 1 / 30_000]);
  });

  it("replaces only the steps sent again", () => {
    const { db, lead, version } = setup();
    addMetrics(db, lead, "big-model", 1, { metrics: loss(0, 100) });
    const again = addMetrics(db, lead, "big-model", 1, {
      metrics: [{ name: "loss", value: 42, step: 50 }],
    });
    expect(again.replaced).toBe(1);
    const rows = listMetricsOfVersion(db, version.id).filter((m) => m.name === "loss");
    expect(rows).toHaveLength(100);
    expect(rows.find((m) => m.step === 50)?.value).toBe(42);
  });

  it("refuses a call over 10,000 values", () => {
    const { db, lead } = setup();
    const error = thrown(() =>
      addMetrics(db, lead, "big-model", 1, { metrics: loss(0, MAX_METRICS_PER_CALL + 1) }),
    );
    expect(error.status).toBe(400);
    expect(error.message).toContain("at most 10000 metrics per call");
  });
});

describe("listSummaryRowsOfVersion", () => {
  it("gives the same summary values as reading every row", () => {
    const { db, lead, version } = setup();
    addMetrics(db, lead, "big-model", 1, {
      metrics: [
        ...loss(0, 500, "train"),
        ...loss(0, 300, "validation"),
        { name: "auc", value: 0.5, step: 3, split: "test" },
        { name: "auc", value: 0.6, step: 3, split: "train" },
        { name: "auc", value: 0.4, step: 1, split: "test" },
        { name: "f1", value: 0.7, step: 9 },
        { name: "f1", value: 0.8 },
      ],
    });
    const summary = listSummaryRowsOfVersion(db, version.id);
    expect(summary.length).toBeLessThan(10);
    expect(summaryValues(summary)).toEqual(summaryValues(listMetricsOfVersion(db, version.id)));
    expect(summaryValues(summary)).toMatchObject({
      accuracy: 0.91,
      auc: 0.5,
      f1: 0.8,
      loss: 1 / 500,
    });
  });
});
