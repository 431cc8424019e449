// What was live when, worked out from deployment rows alone.
import { describe, expect, it } from "vitest";
import {
  formatDuration,
  liveAt,
  liveDuring,
  rollbackStack,
  rollbackTarget,
  timeline,
} from "@/lib/deployments/timeline";

const T0 = Date.UTC(2026, 2, 3, 9, 0, 0);
const HOUR = 3_600_000;
let nextId = 1;

function deployed(
  versionNumber: number,
  hoursAfter: number,
  kind: "deploy" | "rollback" = "deploy",
) {
  return { id: nextId++, versionNumber, kind, createdAt: new Date(T0 + hoursAfter * HOUR) };
}

describe("liveAt", () => {
  const rows = [deployed(1, 0), deployed(2, 5), deployed(3, 30)];

  it("answers nothing before the first deployment", () => {
    expect(liveAt(rows, new Date(T0 - 1))).toBeNull();
  });

  it("counts a deployment as live from its own instant", () => {
    expect(liveAt(rows, new Date(T0))?.versionNumber).toBe(1);
    expect(liveAt(rows, new Date(T0 + 5 * HOUR))?.versionNumber).toBe(2);
    expect(liveAt(rows, new Date(T0 + 5 * HOUR - 1))?.versionNumber).toBe(1);
  });

  it("answers the newest deployment long after it", () => {
    expect(liveAt(rows, new Date(T0 + 1000 * HOUR))?.versionNumber).toBe(3);
  });

  it("does not depend on the order the rows arrive in", () => {
    expect(liveAt([...rows].reverse(), new Date(T0 + 6 * HOUR))?.versionNumber).toBe(2);
  });

  it("breaks a tie in the same millisecond by id, as the gate does", () => {
    const a = { id: 50, versionNumber: 7, kind: "deploy" as const, createdAt: new Date(T0) };
    const b = { id: 51, versionNumber: 8, kind: "deploy" as const, createdAt: new Date(T0) };
    expect(liveAt([b, a], new Date(T0))?.versionNumber).toBe(8);
  });
});

describe("liveDuring a day", () => {
  const rows = [deployed(1, 0), deployed(2, 5), deployed(3, 30)];
  const day = (h: number) => [new Date(T0 + h * HOUR), new Date(T0 + (h + 24) * HOUR)] as const;

  it("lists what was live at the start and what went live during the day", () => {
    const [start, end] = day(-1);
    expect(liveDuring(rows, start, end)).toEqual({ atEnd: 2, during: [1, 2] });
  });

  it("answers nothing for a day before the first deployment", () => {
    const [start, end] = day(-48);
    expect(liveDuring(rows, start, end)).toEqual({ atEnd: null, during: [] });
  });

  it("treats the end of the day as exclusive: a deployment at midnight belongs to the next day", () => {
    const [start, end] = day(6);
    expect(liveDuring(rows, start, end)).toEqual({ atEnd: 2, during: [2] });
    const [nextStart, nextEnd] = day(30);
    expect(liveDuring(rows, nextStart, nextEnd)).toEqual({ atEnd: 3, during: [3] });
  });
});

describe("timeline", () => {
  it("says what each deployment replaced and how long it stayed live", () => {
    const rows = [deployed(1, 0), deployed(2, 5)];
    const now = new Date(T0 + 8 * HOUR);
    const entries = timeline(rows, now);
    expect(entries.map((e) => [e.versionNumber, e.replaced, e.liveForMs, e.until])).toEqual([
      [1, null, 5 * HOUR, new Date(T0 + 5 * HOUR)],
      [2, 1, 3 * HOUR, null],
    ]);
  });
});

describe("rollback target", () => {
  it("is the version live before the current one", () => {
    expect(rollbackTarget([deployed(1, 0), deployed(2, 1), deployed(3, 2)])?.versionNumber).toBe(2);
  });

  it("is nothing with one deployment or none", () => {
    expect(rollbackTarget([deployed(1, 0)])).toBeNull();
    expect(rollbackTarget([])).toBeNull();
  });

  it("steps further back after a rollback instead of returning to the undone version", () => {
    const rows = [deployed(1, 0), deployed(2, 1), deployed(3, 2), deployed(2, 3, "rollback")];
    expect(rollbackStack(rows).map((r) => r.versionNumber)).toEqual([1, 2]);
    expect(rollbackTarget(rows)?.versionNumber).toBe(1);
    const twice = [...rows, deployed(1, 4, "rollback")];
    expect(rollbackTarget(twice)).toBeNull();
  });

  it("counts a redeployment of an old version as a new step", () => {
    const rows = [deployed(1, 0), deployed(2, 1), deployed(1, 2)];
    expect(rollbackTarget(rows)?.versionNumber).toBe(2);
  });
});

describe("formatDuration", () => {
  it("shows the two largest units", () => {
    expect(formatDuration(2 * 86_400_000 + 3 * HOUR + 5 * 60_000)).toBe("2 d 3 h");
    expect(formatDuration(4 * HOUR + 12 * 60_000 + 9_000)).toBe("4 h 12 min");
    expect(formatDuration(35_000)).toBe("35 s");
    expect(formatDuration(86_400_000 + 30_000)).toBe("1 d");
    expect(formatDuration(400)).toBe("under 1 s");
  });
});
