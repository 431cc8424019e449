import Link from "next/link";
import { getDb } from "@/db/client";
import { LocalTime } from "@/components/local-time";
import { PassMark, StatusBadge } from "@/components/status-badge";
import { ageOf, formatMetric } from "@/lib/format";
import { requirePageUser } from "@/lib/http/page-user";
import { getQueueForUser, type QueueItem } from "@/lib/views/queue";

export const dynamic = "force-dynamic";

function QueueTable({ items, caption }: { items: QueueItem[]; caption: string }) {
  return (
    <div className="overflow-x-auto">
      <table className="w-full min-w-[44rem] text-left text-sm">
        <caption className="sr-only">{caption}</caption>
        <thead className="border-b border-gray-200 text-gray-600 dark:border-gray-800 dark:text-gray-400">
          <tr>
            <th className="py-2 pr-3">Model</th>
            <th className="pr-3">Version</th>
            <th className="pr-3">Environment</th>
            <th className="pr-3">Status</th>
            <th className="pr-3">Waiting</th>
            <th className="pr-3">Submitter</th>
            <th>Key metrics vs thresholds</th>
          </tr>
        </thead>
        <tbody>
          {items.map((item) => (
            <tr
              key={item.requestId}
              className="border-b border-gray-100 align-top dark:border-gray-900 [&>td]:py-2"
            >
              <td className="py-2 pr-3 font-medium">
                <Link
                  className="text-blue-700 hover:underline dark:text-blue-400"
                  href={`/models/${item.model}/versions/${item.version}`}
                >
                  {item.model}
                </Link>
              </td>
              <td className="pr-3">v{item.version}</td>
              <td className="pr-3">{item.environment}</td>
              <td className="pr-3">
                <StatusBadge status={item.status} />
                {item.missing.length > 0 ? (
                  <div className="mt-1 text-xs text-purple-800 dark:text-purple-300">
                    missing: {item.missing.join(", ")}
                  </div>
                ) : null}
              </td>
              <td className="pr-3" title={item.createdAt.toISOString()}>
                {ageOf(item.createdAt)}{" "}
                <span className="sr-only">
                  since <LocalTime iso={item.createdAt.toISOString()} />
                </span>
              </td>
              <td className="pr-3">{item.submitter}</td>
              <td>
                <ul className="space-y-0.5">
                  {item.checks.map((c) => (
                    <li key={c.text}>
                      <span className="font-mono">
                        {c.metric} {formatMetric(c.actual)}
                      </span>{" "}
                      <span className="text-gray-500">({c.text})</span> <PassMark pass={c.pass} />
                    </li>
                  ))}
                  {item.checks.length === 0 ? (
                    <li className="text-gray-500">no thresholds in policy</li>
                  ) : null}
                </ul>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export default async function QueuePage() {
  const user = await requirePageUser();
  const { mine, others } = getQueueForUser(getDb(), user);
  return (
    <div className="space-y-8">
      <section>
        <h1 className="mb-1 text-2xl font-semibold">Review queue</h1>
        <p className="mb-4 text-sm text-gray-600 dark:text-gray-400">
          Requests waiting for your decision, oldest first.
        </p>
        {mine.length > 0 ? (
          <QueueTable items={mine} caption="Waiting for you" />
        ) : (
          <p className="rounded border border-dashed border-gray-300 p-4 text-sm dark:border-gray-700">
            Nothing is waiting for you.
          </p>
        )}
      </section>
      {others.length > 0 ? (
        <section>
          <h2 className="mb-1 text-lg font-semibold">Other open requests</h2>
          <p className="mb-4 text-sm text-gray-600 dark:text-gray-400">
            Open requests you cannot decide now; each version page says why.
          </p>
          <QueueTable items={others} caption="Other open requests" />
        </section>
      ) : null}
    </div>
  );
}
