import Link from "next/link";
import { Breadcrumbs } from "@/components/breadcrumbs";
import { getDb } from "@/db/client";
import { MetricTrendChart } from "@/components/charts/lazy";
import { LocalTime } from "@/components/local-time";
import { StatusBadge } from "@/components/status-badge";
import { decimalsToTellApart, formatWith } from "@/lib/format";
import { loadOrNotFound, requirePageUser } from "@/lib/http/page-user";
import { getModelPage, parseVersionsBefore } from "@/lib/views/model-page";
import { parseDayWindow } from "@/lib/views/day-window";
import { badge, outcomeText, textLink } from "@/components/ui-classes";
import { DeploymentTimeline } from "@/components/deployment-timeline";
import { LiveOnDay } from "@/components/live-on-day";
import { LiveOnDayForm } from "@/components/live-on-day-form";

export const dynamic = "force-dynamic";

type Props = {
  params: Promise<{ name: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
};

export default async function ModelPage({ params, searchParams }: Props) {
  const user = await requirePageUser();
  const { name } = await params;
  const query = await searchParams;
  const chosen = typeof query.metric === "string" ? query.metric : null;
  const day = parseDayWindow(query);
  const window = day?.ok ? day.window : null;
  const paging = parseVersionsBefore(query);
  const before = paging.ok ? paging.before : null;
  const history = typeof query.history === "string" ? query.history : null;
  const page = loadOrNotFound(() =>
    getModelPage(getDb(), user, name, chosen, window, before, history),
  );
  // Links keep the chosen metric, day, table page and opened history, except
  // the one parameter they change. A day's start and end are worked out from
  // its date and zone, so older links' own bounds are not passed on.
  const hrefWith = (key: "before" | "history", value: string | null, anchor: string) => {
    const keep = new URLSearchParams();
    for (const k of ["metric", "on", "tz", "before", "history"]) {
      const current = query[k];
      if (k !== key && typeof current === "string" && current !== "") keep.set(k, current);
    }
    if (value !== null) keep.set(key, value);
    const text = keep.toString();
    return `/models/${page.model.name}${text ? `?${text}` : ""}#${anchor}`;
  };
  const versionsHref = (older: number | null) =>
    hrefWith("before", older === null ? null : String(older), "versions");
  const environments = [...new Set(page.versions.flatMap((v) => Object.keys(v.statuses)))].sort();
  // Versions are read against each other: enough digits that different values never look alike.
  const decimals = decimalsToTellApart([
    ...page.trend.map((p) => p.value),
    ...page.versions.map((v) => (page.metric ? v.values[page.metric] : null)),
  ]);

  return (
    <div className="space-y-8">
      <header>
        <Breadcrumbs />
        <h1 className="text-2xl font-semibold">{page.model.name}</h1>
        <p className="text-sm text-gray-600 dark:text-gray-400">
          Live:{" "}
          {Object.keys(page.live).length === 0
            ? "nothing deployed yet"
            : Object.entries(page.live)
                .map(([env, v]) => `v${v} in ${env}`)
                .join(", ")}
        </p>
      </header>

      <nav aria-label="Policies" className="flex flex-wrap gap-3 text-sm">
        <span className="font-medium">Policies:</span>
        {page.environments.map((env) => (
          <Link key={env} href={`/models/${page.model.name}/policies/${env}`} className={textLink}>
            {env}
          </Link>
        ))}
      </nav>

      <section aria-labelledby="trend">
        <div className="mb-2 flex flex-wrap items-center gap-3">
          <h2 id="trend" className="text-lg font-semibold">
            Metric across versions
          </h2>
          <form className="flex items-center gap-2 text-sm">
            {window ? <input type="hidden" name="on" value={window.day} /> : null}
            {window?.zoneGiven ? <input type="hidden" name="tz" value={window.zone} /> : null}
            <label htmlFor="metric">Metric</label>
            <select
              id="metric"
              name="metric"
              defaultValue={page.metric ?? ""}
              className="rounded border border-gray-300 bg-white p-1 dark:border-gray-700 dark:bg-gray-900"
            >
              {page.metricNames.map((m) => (
                <option key={m} value={m}>
                  {m}
                </option>
              ))}
            </select>
            <button
              type="submit"
              className="rounded border border-gray-300 px-2 py-1 dark:border-gray-700"
            >
              Show
            </button>
          </form>
        </div>
        {page.metric && page.trend.length > 0 ? (
          <p className="mb-1 text-sm text-gray-600 dark:text-gray-400">
            The newest {page.trendVersions} versions at most.
          </p>
        ) : null}
        {page.metric && page.trend.length > 0 ? (
          <MetricTrendChart
            metric={page.metric}
            points={page.trend.map((p) => ({ x: p.version, value: p.value }))}
            decimals={decimals}
          />
        ) : (
          <p className="text-sm">No metric values yet.</p>
        )}
      </section>

      <section aria-labelledby="deployments" className="space-y-3">
        <h2 id="deployments" className="text-lg font-semibold">
          Deployments
        </h2>
        <LiveOnDayForm day={window?.day ?? ""} keep={page.metric ? { metric: page.metric } : {}} />
        {day && !day.ok ? (
          <p role="alert" className={`text-sm ${outcomeText(false)}`}>
            The date is not usable: {day.message}
          </p>
        ) : null}
        {window ? <LiveOnDay window={window} timelines={page.timelines} /> : null}
        {page.timelines.length === 0 ? (
          <p className="text-sm">Nothing has been deployed yet.</p>
        ) : (
          page.timelines.map((t) => (
            <DeploymentTimeline
              key={t.environment}
              model={page.model.name}
              timeline={t}
              mayRollBack={page.mayRollBack}
              historyHref={hrefWith(
                "history",
                t.entries.length < t.total ? t.environment : null,
                `deployments-${t.environment}`,
              )}
            />
          ))
        )}
      </section>

      <section aria-labelledby="versions">
        <h2 id="versions" className="mb-2 text-lg font-semibold">
          Versions
        </h2>
        {!paging.ok ? (
          <p role="alert" className={`mb-2 text-sm ${outcomeText(false)}`}>
            The page of versions is not usable ({paging.message}); showing the newest.
          </p>
        ) : null}
        {page.versions.length > 0 ? (
          <p className="mb-2 text-sm text-gray-600 dark:text-gray-400">
            v{page.versions[0]?.number} to v{page.versions.at(-1)?.number}, newest first.
          </p>
        ) : (
          <p className="mb-2 text-sm">No versions here.</p>
        )}
        <div className="overflow-x-auto">
          <table className="w-full min-w-[44rem] text-left text-sm">
            <thead className="border-b border-gray-200 text-gray-600 dark:border-gray-800 dark:text-gray-400">
              <tr>
                <th className="py-2 pr-3">Version</th>
                <th className="pr-3">Registered</th>
                <th className="pr-3">Source</th>
                {environments.map((e) => (
                  <th key={e} className="pr-3">
                    {e}
                  </th>
                ))}
                {page.metric ? <th>{page.metric}</th> : null}
              </tr>
            </thead>
            <tbody>
              {page.versions.map((v) => (
                <tr
                  key={v.number}
                  className="[&>td]:py-2 border-b border-gray-100 dark:border-gray-900"
                >
                  <td className="py-2 pr-3">
                    <Link
                      href={`/models/${page.model.name}/versions/${v.number}`}
                      className={`font-medium ${textLink}`}
                    >
                      v{v.number}
                    </Link>
                    {v.liveIn.map((env) => (
                      <span key={env} className={`ml-2 ${badge.live}`}>
                        live in {env}
                      </span>
                    ))}
                  </td>
                  <td className="pr-3">
                    <LocalTime iso={v.createdAt.toISOString()} />
                  </td>
                  <td className="pr-3 font-mono text-xs">{v.sourceUri ?? "—"}</td>
                  {environments.map((e) => (
                    <td key={e} className="pr-3">
                      {v.statuses[e] ? <StatusBadge status={v.statuses[e]} /> : "—"}
                    </td>
                  ))}
                  {page.metric ? (
                    <td className="font-mono">{formatWith(v.values[page.metric], decimals)}</td>
                  ) : null}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        <nav aria-label="Pages of versions" className="mt-3 flex flex-wrap gap-4 text-sm">
          {page.newer ? (
            <Link href={versionsHref(null)} className={textLink}>
              Newest versions
            </Link>
          ) : null}
          {page.older !== null ? (
            <Link href={versionsHref(page.older)} className={textLink}>
              Older versions (before v{page.older})
            </Link>
          ) : null}
        </nav>
      </section>
    </div>
  );
}
