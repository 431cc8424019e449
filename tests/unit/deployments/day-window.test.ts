// "What was live on <date>": the browser's day bounds, or a UTC day without them.
import { describe, expect, it } from "vitest";
import { parseDayWindow } from "@/lib/views/day-window";

describe("parseDayWindow", () => {
  it("asks nothing when no date is given", () => {
    expect(parseDayWindow({})).toBeNull();
    expect(parseDayWindow({ on: "" })).toBeNull();
  });

  it("uses the viewer's day bounds when the browser sent them", () => {
    // Paris in March: the day starts at 23:00 UTC the evening before.
    expect(
      parseDayWindow({
        on: "2026-03-03",
        start: "2026-03-02T23:00:00.000Z",
        end: "2026-03-03T23:00:00.000Z",
      }),
    ).toEqual({
      ok: true,
      window: {
        day: "2026-03-03",
        start: new Date("2026-03-02T23:00:00Z"),
        end: new Date("2026-03-03T23:00:00Z"),
        zone: "local",
      },
    });
  });

  it("accepts a 23-hour day at a clock change", () => {
    const answer = parseDayWindow({
      on: "2026-03-29",
      start: "2026-03-28T23:00:00.000Z",
      end: "2026-03-29T22:00:00.000Z",
    });
    expect(answer).toMatchObject({ ok: true });
  });

  it("reads the date as a UTC day without bounds", () => {
    expect(parseDayWindow({ on: "2026-03-03" })).toEqual({
      ok: true,
      window: {
        day: "2026-03-03",
        start: new Date("2026-03-03T00:00:00Z"),
        end: new Date("2026-03-04T00:00:00Z"),
        zone: "UTC",
      },
    });
  });

  it.each([
    [{ on: "3 March" }, "on: must be a date such as 2026-03-03"],
    [{ on: "garbage" }, "on: must be a date such as 2026-03-03"],
    [{ on: "2026-02-30" }, "on: is not a day on the calendar"],
    [{ on: "2026-13-01" }, "on: is not a day on the calendar"],
    [{ on: "2025-02-29" }, "on: is not a day on the calendar"],
    [{ on: "2026-03-03", start: "2026-03-02T23:00:00Z" }, "end: start and end come together"],
    [
      { on: "2026-03-03", start: "2026-03-02T23:00:00Z", end: "2026-03-09T23:00:00Z" },
      "end: must be one day after start",
    ],
  ])("refuses %j", (query, message) => {
    expect(parseDayWindow(query)).toEqual({ ok: false, message });
  });
});
