// One environment's deployments, newest first: which version, when, by whom,
// whether it was a rollback (and why), and how long it stayed live.
import Link from "next/link";
import { LocalTime } from "@/components/local-time";
import { RollbackForm } from "@/components/rollback-form";
import { badge, panel, textLink } from "@/components/ui-classes";
import { formatDuration } from "@/lib/deployments/timeline";
import { TIMELINE_ENTRIES, type getModelPage } from "@/lib/views/model-page";

type Timeline = ReturnType<typeof getModelPage>["timelines"][number];

export function DeploymentTimeline({
  model,
  timeline: t,
  mayRollBack,
  historyHref,
}: {
  model: string;
  timeline: Timeline;
  mayRollBack: boolean;
  /** Opens the whole history when part is shown, the newest entries when all is. */
  historyHref: string;
}) {
  const headingId = `deployments-${t.environment}`;
  return (
    <section aria-labelledby={headingId} className={`${panel} space-y-3 p-3`}>
      <h3 id={headingId} className="font-semibold">
        {t.environment}{" "}
        <span className="font-normal text-gray-600 dark:text-gray-400">
          · live now: {t.live === null ? "nothing" : `v${t.live}`}
        </span>
      </h3>
      {/* Rendered even with nothing left to roll back to, so the answer to
          the last rollback stays on screen after the page refreshes. */}
      {mayRollBack && t.live !== null ? (
        <RollbackForm
          model={model}
          environment={t.environment}
          live={t.live}
          to={t.rollback?.to ?? null}
        />
      ) : null}
      {/* A list rather than a table: each entry wraps on a phone instead of scrolling. */}
      <ol aria-label={`Deployments to ${t.environment}, newest first`} className="text-sm">
        {t.entries.map((e) => (
          <li
            key={e.id}
            className="flex flex-wrap items-baseline gap-x-4 gap-y-1 border-t border-gray-100 py-2 dark:border-gray-800"
          >
            <span className="w-20 shrink-0">
              <Link
                href={`/models/${model}/versions/${e.version}`}
                className={`font-medium ${textLink}`}
              >
                v{e.version}
              </Link>
              {e.current ? <span className={`ml-2 ${badge.live}`}>live</span> : null}
            </span>
            <span className="whitespace-nowrap sm:w-48">
              <LocalTime iso={e.at.toISOString()} />
            </span>
            <span className="sm:w-40">by {e.by}</span>
            <span className="min-w-48 flex-1">
              {e.kind === "rollback" ? (
                <>
                  <span className="font-medium text-red-700 dark:text-red-400">rollback</span>
                  {e.replaced !== null ? ` from v${e.replaced}` : ""}
                  {e.reason ? (
                    <span className="block text-gray-600 dark:text-gray-400">“{e.reason}”</span>
                  ) : null}
                </>
              ) : (
                <>deployed{e.replaced !== null ? `, replacing v${e.replaced}` : ""}</>
              )}
            </span>
            <span className="whitespace-nowrap text-gray-600 dark:text-gray-400">
              live {formatDuration(e.liveForMs)}
              {e.current ? " so far" : ""}
            </span>
          </li>
        ))}
      </ol>
      {t.entries.length < t.total ? (
        <p className="text-sm">
          Newest {t.entries.length} of {t.total}.{" "}
          <Link href={historyHref} className={textLink}>
            Show all {t.total} deployments to {t.environment}
          </Link>
        </p>
      ) : t.total > TIMELINE_ENTRIES ? (
        <p className="text-sm">
          <Link href={historyHref} className={textLink}>
            Show only the newest {TIMELINE_ENTRIES}
          </Link>
        </p>
      ) : null}
    </section>
  );
}
