import { notFound } from "next/navigation";
import { getDb } from "@/db/client";
import { Breadcrumbs } from "@/components/breadcrumbs";
import { MetricComparisonChart, SeriesChart } from "@/components/charts/lazy";
import { DecisionForm } from "@/components/decision-form";
import { UnsentDecision } from "@/components/unsent-decision";
import { LocalTime } from "@/components/local-time";
import { StatusBadge } from "@/components/status-badge";
import { panel } from "@/components/ui-classes";
import { ComparisonTable, MetricValues } from "@/components/version/comparison-table";
import { RecordDiff, RecordList } from "@/components/version/record-diff";
import { SplitValues } from "@/components/version/split-values";
import { RequestTimeline } from "@/components/version/request-timeline";
import { RequesterNotes } from "@/components/version/requester-note";
import { SourceLinks } from "@/components/version/source-links";
import { loadOrNotFound, requirePageUser } from "@/lib/http/page-user";
import { getVersionPage, type RequestView } from "@/lib/views/version-page";

export const dynamic = "force-dynamic";

type Props = { params: Promise<{ name: string; version: string }> };

function comparisonHeading(request: RequestView, candidate: number): string {
  const env = request.environment;
  // A closed request is shown against what was live when it closed; the
  // status says how (a superseded request was never decided).
  const decided = request.finalizedAt !== null;
  const then = decided ? ` when this request was ${request.status}` : "";
  if (request.live?.isThis) {
    return `Metrics against the thresholds (this version ${decided ? "was" : "is"} live in ${env}${then})`;
  }
  if (request.live) {
    const live = `${decided ? "" : "now "}live in ${env}${then}`;
    return `Metrics against v${request.live.version}, ${live}, and the thresholds`;
  }
  return decided
    ? `Metrics of v${candidate} against the thresholds (nothing was live in ${env}${then})`
    : `Metrics of v${candidate} against the thresholds (nothing is live in ${env} yet)`;
}

function RequestPanel(props: { request: RequestView; candidate: number; metricsRevision: number }) {
  const { request, candidate, metricsRevision } = props;
  const against = request.live && !request.live.isThis ? `v${request.live.version} (live)` : null;
  return (
    <section
      id={`request-${request.id}`}
      aria-label={`Request for ${request.environment}`}
      className={`${panel} scroll-mt-4 p-4`}
    >
      <div className="flex flex-wrap items-center gap-x-3 gap-y-1">
        <h2 className="text-lg font-semibold">{request.environment}</h2>
        <StatusBadge status={request.status} />
        <span className="text-sm text-gray-600 dark:text-gray-400">
          request #{request.id} · asked <LocalTime iso={request.createdAt.toISOString()} />
          {request.policyRevision
            ? ` · policy revision ${request.policyRevision}`
            : " · default policy"}
          {request.expiresAt && !request.finalizedAt ? (
            <>
              {" "}
              · expires <LocalTime iso={request.expiresAt.toISOString()} />
            </>
          ) : null}
        </span>
      </div>
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

      <h3 className="mt-4 font-medium">{comparisonHeading(request, candidate)}</h3>
      <ComparisonTable request={request} candidate={candidate} />
      <div className="mt-4 grid gap-3 sm:grid-cols-2 lg:grid-cols-3">
        {request.comparisons
          .filter((c) => c.candidate !== null)
          .map((c) => (
            <MetricComparisonChart
              key={c.metric}
              comparison={c}
              candidateLabel={`v${candidate}`}
              deployedLabel={
                against && c.deployed !== null ? `v${request.live?.version} live` : null
              }
            />
          ))}
      </div>

      {request.paramsDiff && request.tagsDiff && against ? (
        // One above the other: a value may run to 2,000 characters, and half
        // the width would double its height.
        <div className="mt-4 grid gap-4">
          <RecordDiff title="Parameters" rows={request.paramsDiff} against={against} />
          <RecordDiff title="Tags" rows={request.tagsDiff} against={against} />
        </div>
      ) : null}

      <h3 className="mt-4 font-medium">Approvals</h3>
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

      <h3 className="mt-4 font-medium">Decisions</h3>
      {request.decisions.length === 0 ? (
        <p className="text-sm text-gray-600 dark:text-gray-400">No decision yet.</p>
      ) : (
        <ol className="space-y-1 text-sm" aria-label="Decisions">
          {request.decisions.map((d) => (
            <li
              key={d.id}
              className={d.dismissedAt ? "text-gray-600 dark:text-gray-400" : undefined}
            >
              <span className={d.dismissedAt ? "line-through" : undefined}>
                <strong>{d.by}</strong> {d.decision === "approve" ? "approved" : "rejected"}
                {d.automatic ? " automatically" : ""} · <LocalTime iso={d.at.toISOString()} />
              </span>
              {d.dismissedAt ? <span> (dismissed: the metrics it saw changed)</span> : null}
              {d.comment ? (
                <span className="block text-gray-700 dark:text-gray-300">“{d.comment}”</span>
              ) : null}
            </li>
          ))}
        </ol>
      )}

      {request.canDecide ? (
        <DecisionForm requestId={request.id} metricsRevision={metricsRevision} />
      ) : (
        <>
          <UnsentDecision requestId={request.id} />
          <p
            className="mt-3 rounded bg-gray-100 p-2 text-sm dark:bg-gray-800"
            data-testid="cannot-decide"
          >
            {request.whyNot}
          </p>
        </>
      )}
    </section>
  );
}

export default async function VersionPage({ params }: Props) {
  const user = await requirePageUser();
  const { name, version } = await params;
  if (!/^[1-9][0-9]{0,8}$/.test(version)) notFound();
  const page = loadOrNotFound(() => getVersionPage(getDb(), user, name, Number(version)));
  const v = page.version;
  const diffed = page.requests.some((r) => r.paramsDiff && r.live && !r.live.isThis);

  return (
    <div className="space-y-6">
      <header className="space-y-2">
        <Breadcrumbs model={page.model.name} />
        <h1 className="text-2xl font-semibold">
          {page.model.name} v{v.number}
        </h1>
        <p className="text-sm text-gray-600 dark:text-gray-400">
          Registered <LocalTime iso={v.createdAt.toISOString()} /> by {v.submitter}
        </p>
        {v.description ? <p className="text-sm">{v.description}</p> : null}
        <RequesterNotes requests={page.requests} />
      </header>

      <section aria-labelledby="source-heading">
        <h2 id="source-heading" className="mb-1 text-lg font-semibold">
          Source
        </h2>
        <SourceLinks links={page.sources} />
      </section>

      {page.requests.map((r) => (
        <RequestPanel
          key={r.id}
          request={r}
          candidate={v.number}
          metricsRevision={v.metricsRevision}
        />
      ))}
      {page.requests.length === 0 ? (
        <section aria-labelledby="metrics-heading">
          <h2 id="metrics-heading" className="mb-1 text-lg font-semibold">
            Metrics
          </h2>
          <MetricValues values={page.values} splits={page.splits} />
        </section>
      ) : null}

      <SplitValues values={page.bySplit} />

      {page.series.length > 0 ? (
        <section aria-labelledby="series-heading" className="space-y-3">
          <h2 id="series-heading" className="text-lg font-semibold">
            Learning curves
          </h2>
          {page.series.map((s) => (
            <section key={s.metric} aria-label={`${s.metric} series`}>
              <SeriesChart series={s} />
            </section>
          ))}
        </section>
      ) : null}

      {diffed ? null : page.previousDiff ? (
        <section className="grid gap-4" aria-label="Parameters and tags">
          <RecordDiff
            title="Parameters"
            rows={page.previousDiff.params}
            against={page.previousDiff.against}
          />
          <RecordDiff
            title="Tags"
            rows={page.previousDiff.tags}
            against={page.previousDiff.against}
          />
        </section>
      ) : (
        <section className="grid gap-4" aria-label="Parameters and tags">
          <RecordList title="Parameters" record={v.params} />
          <RecordList title="Tags" record={v.tags} />
        </section>
      )}

      <section aria-labelledby="timeline-heading">
        <h2 id="timeline-heading" className="mb-2 text-lg font-semibold">
          Timeline
        </h2>
        <RequestTimeline entries={page.timeline} />
      </section>
    </div>
  );
}
