// "What was live on <date>": the day's window is worked out from the date and
// the link's zone, whatever bounds the link carries, and says whether the day
// is over, going on or still to come.
import { describe, expect, it } from "vitest";
import { parseDayWindow } from "@/lib/views/day-window";

const NOW = new Date("2026-12-04T10:00:00Z");
const at = (query: Record<string, string>) => {
  const answer = parseDayWindow(query, NOW);
  if (!answer?.ok) throw new Error(`refused: ${JSON.stringify(answer)}`);
  return answer.window;
};
const bounds = (query: Record<string, string>) => {
  const w = at(query);
  return [w.start.toISOString(), w.end.toISOString()];
};

describe("parseDayWindow", () => {
  it("asks nothing when no date is given", () => {
    expect(parseDayWindow({})).toBeNull();
    expect(parseDayWindow({ on: "" })).toBeNull();
  });

  it("reads the day in the link's zone and names it", () => {
    // Paris in March: the day starts at 23:00 UTC the evening before.
    expect(at({ on: "2026-03-03", tz: "Europe/Paris" })).toEqual({
      day: "2026-03-03",
      zone: "Europe/Paris",
      zoneGiven: true,
      start: new Date("2026-03-02T23:00:00Z"),
      end: new Date("2026-03-03T23:00:00Z"),
      when: "past",
      until: new Date("2026-03-03T23:00:00Z"),
      ignoredBounds: false,
    });
  });

  it("gives a spring-forward day 23 hours and a fall-back day 25", () => {
    expect(bounds({ on: "2026-03-08", tz: "America/New_York" })).toEqual([
      "2026-03-08T05:00:00.000Z",
      "2026-03-09T04:00:00.000Z",
    ]);
    expect(bounds({ on: "2026-11-01", tz: "America/New_York" })).toEqual([
      "2026-11-01T04:00:00.000Z",
      "2026-11-02T05:00:00.000Z",
    ]);
  });

  it("starts a day whose midnight the clocks skip at the jump", () => {
    // Chile springs forward at 24:00: 2026-09-06 begins at 01:00 local (04:00 UTC).
    expect(bounds({ on: "2026-09-06", tz: "America/Santiago" })).toEqual([
      "2026-09-06T04:00:00.000Z",
      "2026-09-07T03:00:00.000Z",
    ]);
  });

  it("is the same window wherever the link is opened, and names the zone the link gave", () => {
    const tokyo = at({ on: "2026-03-03", tz: "asia/tokyo" });
    expect(tokyo.zone).toBe("Asia/Tokyo");
    expect(tokyo.start).toEqual(new Date("2026-03-02T15:00:00Z"));
  });

  it("reads a link without a zone as a UTC day and says the zone was not given", () => {
    expect(at({ on: "2026-03-03" })).toMatchObject({
      zone: "UTC",
      zoneGiven: false,
      start: new Date("2026-03-03T00:00:00Z"),
      end: new Date("2026-03-04T00:00:00Z"),
      ignoredBounds: false,
    });
  });

  it("ignores start and end that disagree with the day, and says so", () => {
    const w = at({
      on: "2026-03-03",
      start: "2020-01-01T00:00:00.000Z",
      end: "2020-01-02T00:00:00.000Z",
    });
    expect(w).toMatchObject({ zone: "UTC", ignoredBounds: true });
    expect(w.start).toEqual(new Date("2026-03-03T00:00:00Z"));
    // Bounds made by the older form in Paris, opened with the zone named: they agree.
    const agreeing = at({
      on: "2026-03-03",
      tz: "Europe/Paris",
      start: "2026-03-02T23:00:00.000Z",
      end: "2026-03-03T23:00:00.000Z",
    });
    expect(agreeing.ignoredBounds).toBe(false);
    expect(at({ on: "2026-03-03", tz: "Asia/Tokyo", end: "garbage" }).ignoredBounds).toBe(true);
  });

  it("reads a day that is going on up to now, and a day to come not at all", () => {
    // 10:00 UTC: 19:00 in Tokyo on the 4th, 02:00 in Los Angeles on the 4th.
    expect(at({ on: "2026-12-04", tz: "Asia/Tokyo" })).toMatchObject({
      when: "today",
      until: NOW,
    });
    expect(at({ on: "2026-12-04", tz: "America/Los_Angeles" }).when).toBe("today");
    // Kiritimati (UTC+14) finished the 4th at 10:00 UTC and began the 5th.
    expect(at({ on: "2026-12-04", tz: "Pacific/Kiritimati" }).when).toBe("past");
    expect(at({ on: "2026-12-05", tz: "Pacific/Kiritimati" }).when).toBe("today");
    expect(at({ on: "2026-12-05", tz: "America/Los_Angeles" }).when).toBe("future");
    expect(at({ on: "9999-12-31" }).when).toBe("future");
  });

  it.each([
    [{ on: "3 March" }, "on: must be a date such as 2026-03-03"],
    [{ on: "garbage" }, "on: must be a date such as 2026-03-03"],
    [{ on: "2026-02-30" }, "on: is not a day on the calendar"],
    [{ on: "2026-13-01" }, "on: is not a day on the calendar"],
    [{ on: "2025-02-29" }, "on: is not a day on the calendar"],
    [{ on: "1969-12-31" }, "on: must be 1970-01-01 or later"],
    [
      { on: "2026-03-03", tz: "Mars/Olympus_Mons" },
      "tz: is not a time zone (a name such as Europe/Paris)",
    ],
    [{ on: "2026-03-03", tz: "local" }, "tz: is not a time zone (a name such as Europe/Paris)"],
    [
      { on: "2026-03-03", tz: "x".repeat(65) },
      "tz: is not a time zone (a name such as Europe/Paris)",
    ],
  ])("refuses %j", (query, message) => {
    expect(parseDayWindow(query, NOW)).toEqual({ ok: false, message });
  });
});
