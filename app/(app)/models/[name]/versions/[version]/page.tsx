import { Breadcrumbs } from "@/components/breadcrumbs";
import { notFound } from "next/navigation";
import { getDb } from "@/db/client";
import { MetricComparisonChart } from "@/components/charts/metric-comparison-chart";
import { MetricTrendChart } from "@/components/charts/metric-trend-chart";
import { DecisionForm } from "@/components/decision-form";
import { LocalTime } from "@/components/local-time";
import { PassMark, StatusBadge } from "@/components/status-badge";
import { formatDelta, formatMetric } from "@/lib/format";
import { loadOrNotFound, requirePageUser } from "@/lib/http/page-user";
import { getVersionPage, type VersionPage } from "@/lib/views/version-page";

export const dynamic = "force-dynamic";

type Props = { params: Promise<{ name: string; version: string }> };
type RequestView = VersionPage["requests"][number];

function RequestPanel({ request, candidate }: { request: RequestView; candidate: number }) {
  return (
    <section
      aria-label={`Request for ${request.environment}`}
      className="rounded border border-gray-200 bg-white p-4 dark:border-gray-800 dark:bg-gray-900"
    >
      <div className="flex flex-wrap items-center gap-3">
        <h3 className="text-lg font-semibold">{request.environment}</h3>
        <StatusBadge status={request.status} />
        <span className="text-sm text-gray-600 dark:text-gray-400">
          request #{request.id} · asked <LocalTime iso={request.createdAt.toISOString()} />
          {request.policyRevision
            ? ` · policy revision ${request.policyRevision}`
            : " · default policy"}
        </span>
      </div>
      {request.note ? (
        <p className="mt-2 rounded bg-gray-50 p-2 text-sm dark:bg-gray-800">Note: {request.note}</p>
      ) : null}
      {request.reason ? (
        <p className="mt-2 text-sm" data-testid="request-reason">
          {request.reason}
        </p>
      ) : null}
      {request.missing.length > 0 ? (
        <p className="mt-2 text-sm text-purple-800 dark:text-purple-300">
          Waiting for metrics: <strong>{request.missing.join(", ")}</strong>. The pipeline must
          record them before review can start.
        </p>
      ) : null}

      <h4 className="mt-4 font-medium">
        {request.live?.version === candidate
          ? `Metrics against the thresholds (this version is live in ${request.environment})`
          : request.live
            ? `Metrics against v${request.live.version}, live in ${request.environment}, and the thresholds`
            : `Metrics against the thresholds (nothing is live in ${request.environment} yet)`}
      </h4>
      <div className="overflow-x-auto">
        <table className="mt-1 w-full min-w-[36rem] text-left text-sm">
          <thead className="text-gray-600 dark:text-gray-400">
            <tr>
              <th className="pr-3">Metric</th>
              <th className="pr-3">v{candidate}</th>
              <th className="pr-3">{request.live ? `v${request.live.version} (live)` : "live"}</th>
              <th className="pr-3">Delta</th>
              <th>Thresholds</th>
            </tr>
          </thead>
          <tbody>
            {request.comparisons.map((c) => (
              <tr
                key={c.metric}
                className="[&>td]:py-2 border-t border-gray-100 dark:border-gray-800"
              >
                <td className="py-1 pr-3 font-mono">{c.metric}</td>
                <td className="pr-3 font-mono">{formatMetric(c.candidate)}</td>
                <td className="pr-3 font-mono">{formatMetric(c.deployed)}</td>
                <td className="pr-3 font-mono">
                  {c.candidate !== null && c.deployed !== null
                    ? formatDelta(c.candidate - c.deployed)
                    : "—"}
                </td>
                <td>
                  {request.checks
                    .filter((t) => t.metric === c.metric)
                    .map((t) => (
                      <div key={t.text}>
                        {t.text} <PassMark pass={t.pass} />
                      </div>
                    ))}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <div className="mt-4 grid gap-3 sm:grid-cols-2 lg:grid-cols-3">
        {request.comparisons
          .filter((c) => c.candidate !== null)
          .map((c) => (
            <MetricComparisonChart
              key={c.metric}
              comparison={c}
              candidateLabel={`v${candidate}`}
              deployedLabel={
                request.live && c.deployed !== null ? `v${request.live.version} live` : null
              }
            />
          ))}
      </div>

      <h4 className="mt-4 font-medium">Approvals</h4>
      {request.decidedByPolicy ? (
        <p className="text-sm">
          Decided by the policy&apos;s automatic rules; no person was needed.
        </p>
      ) : (
        <ul className="text-sm">
          {request.progress.map((p) => (
            <li key={p.name}>
              {p.name}: {p.approvals} of {p.count} from {p.approvers.join(", ")}
            </li>
          ))}
        </ul>
      )}

      <h4 className="mt-4 font-medium">Decisions</h4>
      {request.decisions.length === 0 ? (
        <p className="text-sm text-gray-600 dark:text-gray-400">No decision yet.</p>
      ) : (
        <ol className="space-y-1 text-sm" aria-label="Decisions">
          {request.decisions.map((d) => (
            <li key={d.id} className={d.dismissed ? "text-gray-500" : undefined}>
              <span className={d.dismissed ? "line-through" : undefined}>
                <strong>{d.by}</strong> {d.decision === "approve" ? "approved" : "rejected"}
                {d.automatic ? " automatically" : ""} · <LocalTime iso={d.at.toISOString()} />
              </span>
              {d.dismissed ? <span> (dismissed: the metrics it saw changed)</span> : null}
              {d.comment ? (
                <span className="block text-gray-700 dark:text-gray-300">“{d.comment}”</span>
              ) : null}
            </li>
          ))}
        </ol>
      )}

      {request.canDecide ? (
        <DecisionForm requestId={request.id} />
      ) : (
        <p
          className="mt-3 rounded bg-gray-100 p-2 text-sm dark:bg-gray-800"
          data-testid="cannot-decide"
        >
          {request.whyNot}
        </p>
      )}
    </section>
  );
}

export default async function VersionPage({ params }: Props) {
  const user = await requirePageUser();
  const { name, version } = await params;
  if (!/^[1-9][0-9]{0,8}$/.test(version)) notFound();
  const number = Number(version);
  const page = loadOrNotFound(() => getVersionPage(getDb(), user, name, number));
  const v = page.version;

  return (
    <div className="space-y-6">
      <header>
        <Breadcrumbs model={page.model.name} />
        <h1 className="text-2xl font-semibold">
          {page.model.name} v{v.number}
        </h1>
        <p className="text-sm text-gray-600 dark:text-gray-400">
          Registered <LocalTime iso={v.createdAt.toISOString()} /> by {v.submitter}
          {v.sourceUri ? (
            <>
              {" "}
              · <span className="font-mono">{v.sourceUri}</span>
            </>
          ) : null}
          {v.runId ? (
            <>
              {" "}
              · run <span className="font-mono">{v.runId}</span>
            </>
          ) : null}
          {v.commit ? (
            <>
              {" "}
              · commit <span className="font-mono">{v.commit.slice(0, 12)}</span>
            </>
          ) : null}
          {v.pipelineRunUrl ? (
            <>
              {" "}
              ·{" "}
              <a
                className="text-blue-700 hover:underline dark:text-blue-400"
                href={v.pipelineRunUrl}
              >
                pipeline run
              </a>
            </>
          ) : null}
        </p>
        {v.description ? <p className="mt-1 text-sm">{v.description}</p> : null}
      </header>

      {page.requests.length === 0 ? (
        <p className="text-sm">No approval has been requested for this version yet.</p>
      ) : (
        page.requests.map((r) => <RequestPanel key={r.id} request={r} candidate={v.number} />)
      )}

      {Object.entries(page.series).map(([metric, points]) => (
        <section key={metric} aria-label={`${metric} series`}>
          <h2 className="text-lg font-semibold">{metric} by step</h2>
          <MetricTrendChart
            metric={metric}
            xLabel="step"
            points={points.map((p) => ({ x: p.step, value: p.value }))}
          />
        </section>
      ))}

      <section className="grid gap-4 md:grid-cols-2">
        <div>
          <h2 className="mb-1 text-lg font-semibold">Parameters</h2>
          <dl className="grid grid-cols-2 gap-x-3 text-sm">
            {Object.entries(v.params).map(([k, val]) => (
              <div key={k} className="contents">
                <dt className="font-mono text-gray-600 dark:text-gray-400">{k}</dt>
                <dd className="font-mono">{String(val)}</dd>
              </div>
            ))}
          </dl>
        </div>
        <div>
          <h2 className="mb-1 text-lg font-semibold">Tags</h2>
          <dl className="grid grid-cols-2 gap-x-3 text-sm">
            {Object.entries(v.tags).map(([k, val]) => (
              <div key={k} className="contents">
                <dt className="font-mono text-gray-600 dark:text-gray-400">{k}</dt>
                <dd className="font-mono">{val}</dd>
              </div>
            ))}
          </dl>
        </div>
      </section>
    </div>
  );
}
