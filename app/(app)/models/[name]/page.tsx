import Link from "next/link";
import { Breadcrumbs } from "@/components/breadcrumbs";
import { getDb } from "@/db/client";
import { MetricTrendChart } from "@/components/charts/metric-trend-chart";
import { LocalTime } from "@/components/local-time";
import { StatusBadge } from "@/components/status-badge";
import { formatMetric } from "@/lib/format";
import { loadOrNotFound, requirePageUser } from "@/lib/http/page-user";
import { getModelPage } from "@/lib/views/model-page";
import { badge } from "@/components/ui-classes";

export const dynamic = "force-dynamic";

type Props = { params: Promise<{ name: string }>; searchParams: Promise<{ metric?: string }> };

export default async function ModelPage({ params, searchParams }: Props) {
  const user = await requirePageUser();
  const { name } = await params;
  const { metric: chosen } = await searchParams;
  const page = loadOrNotFound(() => getModelPage(getDb(), user, name, chosen ?? null));
  const environments = [...new Set(page.versions.flatMap((v) => Object.keys(v.statuses)))].sort();

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
          <Link
            key={env}
            href={`/models/${page.model.name}/policies/${env}`}
            className="text-blue-700 hover:underline dark:text-blue-400"
          >
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
          <MetricTrendChart
            metric={page.metric}
            points={page.trend.map((p) => ({ x: p.version, value: p.value }))}
          />
        ) : (
          <p className="text-sm">No metric values yet.</p>
        )}
      </section>

      <section aria-labelledby="versions">
        <h2 id="versions" className="mb-2 text-lg font-semibold">
          Versions
        </h2>
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
                      className="font-medium text-blue-700 hover:underline dark:text-blue-400"
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
                    <td className="font-mono">{formatMetric(v.values[page.metric])}</td>
                  ) : null}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>
    </div>
  );
}
