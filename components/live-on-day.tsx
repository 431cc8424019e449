// The answer to "what was live on <date>" for each environment, with the
// zone the day is read in named: a link can be opened far from where it was
// made. A day still going on is answered so far; one not begun is not answered.
import { Suspense } from "react";
import { ZoneNote } from "@/components/zone-note";
import type { DayAnswer } from "@/lib/deployments/timeline";
import type { DayWindow } from "@/lib/views/day-window";

type Props = {
  window: DayWindow;
  timelines: readonly { environment: string; onDay: DayAnswer | null }[];
};

export function LiveOnDay({ window: w, timelines }: Props) {
  const zone = (
    <>
      {w.zoneGiven ? w.zone : "UTC (the link names no time zone)"}
      <Suspense fallback={null}>
        <ZoneNote zone={w.zone} day={w.day} />
      </Suspense>
    </>
  );
  return (
    <div role="status" aria-label={`Live on ${w.day}`} className="text-sm">
      {w.ignoredBounds ? (
        <p>
          The link&apos;s start and end are not {w.day} in {w.zone}; they were ignored.
        </p>
      ) : null}
      {w.when === "future" ? (
        <p className="font-medium">
          {w.day} in {zone} has not happened yet: what will be live then is not known.
        </p>
      ) : (
        <>
          <p className="font-medium">
            Live on {w.day} in {zone},{" "}
            {w.when === "today"
              ? "today so far (the day is not over there):"
              : "from midnight up to the next midnight there:"}
          </p>
          <ul className="list-disc pl-5">
            {timelines.map((t) => (
              <li key={t.environment}>
                {t.environment}: {answerText(t.onDay, w.when === "today")}
              </li>
            ))}
          </ul>
        </>
      )}
    </div>
  );
}

function answerText(answer: DayAnswer | null, sofar: boolean): string {
  if (!answer || answer.during.length === 0) {
    return sofar ? "nothing deployed yet" : "nothing was deployed yet";
  }
  const earlier = answer.during.filter((v) => v !== answer.atEnd).map((v) => `v${v}`);
  if (sofar) {
    const also = earlier.length > 0 ? ` (also live earlier today: ${earlier.join(", ")})` : "";
    return `v${answer.atEnd} live now${also}`;
  }
  const also = earlier.length > 0 ? ` (also live that day: ${earlier.join(", ")})` : "";
  return `v${answer.atEnd} at the end of the day${also}`;
}
