// "What was live on <date>": the day is the viewer's own. The browser turns
// the picked date into that day's first instant and the next day's first
// instant in its zone (so a 23- or 25-hour day around a clock change stays
// right) and sends both; without them the date is read as a UTC day.
import { z } from "zod";
import { fieldErrorsFromZod } from "@/lib/errors";

export type DayWindow = { day: string; start: Date; end: Date; zone: "local" | "UTC" };

const DAY = /^\d{4}-\d{2}-\d{2}$/;
// A real day lasts 23 to 25 hours; anything else was not made by the form.
const MIN_DAY_MS = 22 * 3_600_000;
const MAX_DAY_MS = 26 * 3_600_000;

/** Date.parse rolls 2026-02-30 over to 2026-03-02; a real day reads back unchanged. */
function isRealDay(day: string): boolean {
  const time = Date.parse(`${day}T00:00:00Z`);
  return !Number.isNaN(time) && new Date(time).toISOString().slice(0, 10) === day;
}

const dayParams = z
  .object({
    on: z
      .string()
      // abort: text that is no date at all gets one message, not two.
      .regex(DAY, { error: "must be a date such as 2026-03-03", abort: true })
      .refine(isRealDay, { error: "is not a day on the calendar" }),
    start: z.iso.datetime({ offset: true, error: "must be an ISO date-time" }).optional(),
    end: z.iso.datetime({ offset: true, error: "must be an ISO date-time" }).optional(),
  })
  .refine((p) => (p.start === undefined) === (p.end === undefined), {
    error: "start and end come together",
    path: ["end"],
  })
  .refine(
    (p) => {
      if (!p.start || !p.end) return true;
      const length = Date.parse(p.end) - Date.parse(p.start);
      return length >= MIN_DAY_MS && length <= MAX_DAY_MS;
    },
    { error: "must be one day after start", path: ["end"] },
  );

/** Null when no date was asked for; otherwise the window or what is wrong. */
export function parseDayWindow(
  params: Record<string, string | string[] | undefined>,
): { ok: true; window: DayWindow } | { ok: false; message: string } | null {
  const on = params.on;
  if (on === undefined || on === "") return null;
  const parsed = dayParams.safeParse({ on, start: params.start, end: params.end });
  if (!parsed.success) {
    return {
      ok: false,
      message: fieldErrorsFromZod(parsed.error.issues)
        .map((e) => e.message)
        .join("; "),
    };
  }
  const { on: day, start, end } = parsed.data;
  if (start && end) {
    return { ok: true, window: { day, start: new Date(start), end: new Date(end), zone: "local" } };
  }
  const utcStart = new Date(`${day}T00:00:00Z`);
  return {
    ok: true,
    window: {
      day,
      start: utcStart,
      end: new Date(utcStart.getTime() + 86_400_000),
      zone: "UTC",
    },
  };
}
