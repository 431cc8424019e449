// The history of the version's requests, oldest first, each line with the
// time in the viewer's zone (UTC on hover) and who did it.
import { LocalTime } from "@/components/local-time";
import type { TimelineEntry } from "@/lib/views/version-timeline";

const DOT: Record<TimelineEntry["kind"], string> = {
  version: "bg-gray-400",
  request: "bg-blue-600",
  policy: "bg-purple-600",
  decision: "bg-green-600",
  dismissal: "bg-amber-500",
  deployment: "bg-blue-900 dark:bg-blue-300",
};

export function RequestTimeline({ entries }: { entries: TimelineEntry[] }) {
  return (
    <ol
      aria-label="Timeline"
      className="relative space-y-2 border-l border-gray-300 pl-4 dark:border-gray-700"
    >
      {entries.map((e) => (
        <li key={e.id} className="relative text-sm" data-testid="timeline-entry">
          <span
            aria-hidden
            className={`absolute -left-[1.3rem] top-1.5 h-2.5 w-2.5 rounded-full ${DOT[e.kind]}`}
          />
          <p className="flex flex-wrap gap-x-2">
            <span className="text-gray-600 dark:text-gray-400">
              <LocalTime iso={e.at.toISOString()} seconds />
            </span>
            <strong className={e.dismissedAt ? "line-through" : undefined}>{e.title}</strong>
            <span>by {e.who}</span>
            {e.request ? (
              <span className="text-gray-600 dark:text-gray-400">
                · {e.request.environment}, request #{e.request.id}
              </span>
            ) : null}
          </p>
          {e.detail ? (
            <p className="whitespace-pre-wrap text-gray-700 dark:text-gray-300">
              {e.kind === "decision" || e.kind === "request" ? `“${e.detail}”` : e.detail}
            </p>
          ) : null}
          {e.dismissedAt ? (
            <p className="text-amber-800 dark:text-amber-300">
              Dismissed <LocalTime iso={e.dismissedAt.toISOString()} seconds />: the metrics it saw
              changed, so it no longer counts.
            </p>
          ) : null}
        </li>
      ))}
    </ol>
  );
}
