// One environment's deployments, newest first: which version, when, by whom,
// whether it was a rollback (and why), and how long it stayed live.
import Link from "next/link";
import { LocalTime } from "@/components/local-time";
import { RollbackForm } from "@/components/rollback-form";
import { badge, panel } from "@/components/ui-classes";
import { formatDuration } from "@/lib/deployments/timeline";
import type { getModelPage } from "@/lib/views/model-page";

type Timeline = ReturnType<typeof getModelPage>["timelines"][number];

export function DeploymentTimeline({
  model,
  timeline: t,
  mayRollBack,
}: {
  model: string;
  timeline: Timeline;
  mayRollBack: boolean;
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
      {t.rollback ? (
        <RollbackForm
          model={model}
          environment={t.environment}
          from={t.rollback.from}
          to={t.rollback.to}
        />
      ) : mayRollBack ? (
        <p className="text-sm text-gray-600 dark:text-gray-400">
          Nothing to roll back to: no earlier version is left to step back to here.
        </p>
      ) : null}
      <div className="overflow-x-auto">
        <table className="w-full min-w-[36rem] text-left text-sm">
          <caption className="sr-only">Deployments to {t.environment}, newest first</caption>
          <thead className="border-b border-gray-200 text-gray-600 dark:border-gray-800 dark:text-gray-400">
            <tr>
              <th className="py-2 pr-3">Version</th>
              <th className="pr-3">Went live</th>
              <th className="pr-3">By</th>
              <th className="pr-3">How</th>
              <th>Live for</th>
            </tr>
          </thead>
          <tbody>
            {t.entries.map((e) => (
              <tr key={e.id} className="border-b border-gray-100 align-top dark:border-gray-900">
                <td className="py-2 pr-3">
                  <Link
                    href={`/models/${model}/versions/${e.version}`}
                    className="font-medium text-blue-700 hover:underline dark:text-blue-400"
                  >
                    v{e.version}
                  </Link>
                  {e.current ? <span className={`ml-2 ${badge.live}`}>live</span> : null}
                </td>
                <td className="whitespace-nowrap pr-3">
                  <LocalTime iso={e.at.toISOString()} />
                </td>
                <td className="pr-3">{e.by}</td>
                <td className="pr-3">
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
                </td>
                <td className="whitespace-nowrap">
                  {formatDuration(e.liveForMs)}
                  {e.current ? " so far" : ""}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
