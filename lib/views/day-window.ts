// "What was live on <date>": a calendar day in a named time zone. The link
// carries the date (`on`) and the zone (`tz`, an IANA name such as
// Asia/Tokyo); the day's first instant and the next day's are worked out here
// from them, so a 23- or 25-hour day around a clock change stays right and a
// link reads the same wherever it is opened. `start` and `end`, which older
// links carry, are checked against that window and ignored when they differ;
// a link without `tz` means a UTC day, and the page says so.
import { z } from "zod";
import { fieldErrorsFromZod } from "@/lib/errors";

export type DayWindow = {
  day: string;
  /** The zone the day is read in: the link's, or UTC when it named none. */
  zone: string;
  /** False when the link named no zone and UTC was assumed. */
  zoneGiven: boolean;
  /** The day is [start, end) in `zone`. */
  start: Date;
  end: Date;
  /** Over, going on (read up to now), or not begun: nothing can be said about it yet. */
  when: "past" | "today" | "future";
  /** The instant the answer is read up to: the day's end, or now while it goes on. */
  until: Date;
  /** The link's own start and end disagreed with the day in `zone` and were ignored. */
  ignoredBounds: boolean;
};

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const HOUR_MS = 3_600_000;
// Nothing in the gate happened before 1970, and instants before it are awkward to name.
const FIRST_DAY = "1970-01-01";

/** Date.parse rolls 2026-02-30 over to 2026-03-02; a real day reads back unchanged. */
function isRealDay(day: string): boolean {
  const time = Date.parse(`${day}T00:00:00Z`);
  return !Number.isNaN(time) && new Date(time).toISOString().slice(0, 10) === day;
}

/** The zone's name as Intl knows it, or null when Intl knows no such zone. */
export function knownZone(tz: string): string | null {
  try {
    const resolved = new Intl.DateTimeFormat("en-US", { timeZone: tz }).resolvedOptions().timeZone;
    // Keep the name as given (Asia/Kolkata, not the older Asia/Calcutta), fixing only its case.
    return resolved.toLowerCase() === tz.toLowerCase() ? resolved : tz;
  } catch {
    return null;
  }
}

const dayParams = z.object({
  on: z
    .string()
    // abort: text that is no date at all gets one message, not two.
    .regex(DAY, { error: "must be a date such as 2026-03-03", abort: true })
    .refine(isRealDay, { error: "is not a day on the calendar", abort: true })
    .refine((d) => d >= FIRST_DAY, { error: `must be ${FIRST_DAY} or later` }),
  tz: z
    .string()
    .max(64, { error: "is not a time zone (a name such as Europe/Paris)", abort: true })
    .refine((tz) => knownZone(tz) !== null, {
      error: "is not a time zone (a name such as Europe/Paris)",
    })
    .optional(),
});

/** Null when no date was asked for; otherwise the window or what is wrong. */
export function parseDayWindow(
  params: Record<string, string | string[] | undefined>,
  now: Date = new Date(),
): { ok: true; window: DayWindow } | { ok: false; message: string } | null {
  const on = params.on;
  if (on === undefined || on === "") return null;
  const tz = params.tz === "" ? undefined : params.tz;
  const parsed = dayParams.safeParse({ on, tz });
  if (!parsed.success) {
    const errors = fieldErrorsFromZod(parsed.error.issues);
    return { ok: false, message: errors.map((e) => e.message).join("; ") };
  }
  const { on: day } = parsed.data;
  const zone = parsed.data.tz === undefined ? "UTC" : (knownZone(parsed.data.tz) ?? "UTC");
  const wall = Date.parse(`${day}T00:00:00Z`);
  const start = new Date(firstInstant(wall, zone));
  const end = new Date(firstInstant(wall + 24 * HOUR_MS, zone));
  const when = now < start ? "future" : now < end ? "today" : "past";
  return {
    ok: true,
    window: {
      day,
      zone,
      zoneGiven: parsed.data.tz !== undefined,
      start,
      end,
      when,
      until: when === "today" ? now : end,
      ignoredBounds: disagrees(params.start, start) || disagrees(params.end, end),
    },
  };
}

/** A bound from the link that is there and is not the instant worked out. */
function disagrees(given: string | string[] | undefined, instant: Date): boolean {
  if (given === undefined || given === "") return false;
  return typeof given !== "string" || Date.parse(given) !== instant.getTime();
}

const formats = new Map<string, Intl.DateTimeFormat>();

/** The zone's wall-clock time at instant `t`, as milliseconds read as if UTC. */
function wallClock(zone: string, t: number): number {
  let format = formats.get(zone);
  if (!format) {
    format = new Intl.DateTimeFormat("en-US", {
      timeZone: zone,
      hourCycle: "h23",
      year: "numeric",
      month: "numeric",
      day: "numeric",
      hour: "numeric",
      minute: "numeric",
      second: "numeric",
    });
    formats.set(zone, format);
  }
  const parts = format.formatToParts(t);
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  const utc = Date.UTC(
    get("year"),
    get("month") - 1,
    get("day"),
    get("hour"),
    get("minute"),
    get("second"),
  );
  // The parts stop at seconds; the milliseconds are the same in every zone.
  return utc + (t - Math.floor(t / 1000) * 1000);
}

/**
 * The first instant at which the zone's clock reads `wall` (a midnight, as
 * milliseconds read as if UTC) or later. Usually wall minus the zone's offset;
 * where the clocks skip that midnight (Chile springs forward at 24:00), the
 * day begins at the jump.
 */
function firstInstant(wall: number, zone: string): number {
  // Zones are within 14 hours of UTC: the offsets in force around that wall
  // time are among those 14 hours either side of it.
  const around = [-14, 0, 14].map((h) => wall + h * HOUR_MS);
  const offsets = new Set(around.map((t) => wallClock(zone, t) - t));
  const candidates = [...offsets].map((offset) => wall - offset).sort((a, b) => a - b);
  // The earliest instant whose clock reads exactly the wall time (the first of two in a fall-back).
  const exact = candidates.find((t) => wallClock(zone, t) === wall);
  if (exact !== undefined) return exact;
  // Skipped: the first instant at or after the wall time lies between the candidates.
  let low = candidates[0] ?? wall;
  let high = candidates.at(-1) ?? wall;
  while (high - low > 1) {
    const middle = Math.floor((low + high) / 2);
    if (wallClock(zone, middle) >= wall) high = middle;
    else low = middle;
  }
  return high;
}
