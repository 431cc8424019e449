import Link from "next/link";
import { getDb } from "@/db/client";
import { QueueFilterForm } from "@/components/queue-filter-form";
import { QueueTable } from "@/components/queue-table";
import { requirePageUser } from "@/lib/http/page-user";
import { parseQueueFilters, queueHref, STATUS_LABELS } from "@/lib/queue/filters";
import { getQueueCounts, getQueuePage } from "@/lib/views/queue";
import { textLink } from "@/components/ui-classes";

export const dynamic = "force-dynamic";

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

const pageLink =
  "rounded border border-gray-300 px-3 py-1.5 text-sm hover:bg-gray-100 dark:border-gray-700 " +
  "dark:hover:bg-gray-800";

export default async function QueuePage({ searchParams }: Props) {
  const user = await requirePageUser();
  const parsed = parseQueueFilters(await searchParams);
  const db = getDb();
  const page = getQueuePage(db, user, parsed.filters);
  const { filters } = page;
  const problems = parsed.problems;
  const counts = getQueueCounts(db, user);
  const allProblems = [...problems, ...page.problems];
  const description = filters.mine
    ? "Requests waiting for your decision"
    : STATUS_LABELS[filters.status].replace(/^\w/, (c) => c.toUpperCase());
  return (
    <div className="space-y-6">
      <section>
        <h1 className="mb-1 text-2xl font-semibold">Review queue</h1>
        <p className="text-sm text-gray-600 dark:text-gray-400" data-testid="waiting-summary">
          {counts.waitingForYou === 0 ? (
            "Nothing is waiting for you."
          ) : (
            <>
              {counts.waitingForYou} request{counts.waitingForYou === 1 ? " is" : "s are"} waiting
              for you.{" "}
              {filters.mine ? null : (
                <Link href={queueHref(filters, { mine: true, cursor: null })} className={textLink}>
                  Show only these
                </Link>
              )}
            </>
          )}
        </p>
      </section>

      {/* Keyed by the URL so back and forward show that URL's filters in the fields. */}
      <QueueFilterForm
        key={queueHref(filters)}
        filters={filters}
        environments={page.environments}
      />

      {allProblems.length > 0 ? (
        <div
          role="alert"
          className="rounded border border-red-300 bg-red-50 p-3 text-sm text-red-900 dark:border-red-800 dark:bg-red-950 dark:text-red-100"
        >
          <p className="font-medium">Some filters in the address were ignored:</p>
          <ul className="list-disc pl-5">
            {allProblems.map((p) => (
              <li key={p}>{p}</li>
            ))}
          </ul>
        </div>
      ) : null}

      <section aria-label="Requests">
        <p className="mb-2 text-sm text-gray-600 dark:text-gray-400">
          {description}, {filters.sort === "oldest" ? "oldest" : "newest"} first.
        </p>
        {page.items.length > 0 ? (
          <QueueTable items={page.items} caption={`${description}`} />
        ) : (
          <p className="rounded border border-dashed border-gray-300 p-4 text-sm dark:border-gray-700">
            {filters.cursor
              ? "No more requests on this side."
              : "No request matches these filters."}
          </p>
        )}
        <nav aria-label="Pages" className="mt-4 flex gap-3">
          {page.previous ? (
            <Link href={queueHref(filters, { cursor: page.previous })} className={pageLink}>
              ← Previous page
            </Link>
          ) : null}
          {page.next ? (
            <Link href={queueHref(filters, { cursor: page.next })} className={pageLink}>
              Next page →
            </Link>
          ) : null}
          {filters.cursor ? (
            <Link href={queueHref(filters, { cursor: null })} className={pageLink}>
              First page
            </Link>
          ) : null}
        </nav>
      </section>
    </div>
  );
}
