// Queue rows: a table at laptop width, one card per request on a phone (the
// same cells, each with its own label, so nothing scrolls sideways).
import Link from "next/link";
import { LocalTime } from "@/components/local-time";
import { PassMark, StatusBadge } from "@/components/status-badge";
import { ageOf, formattersByMetric } from "@/lib/format";
import type { QueueItem } from "@/lib/views/queue";
import { textLink } from "@/components/ui-classes";

const cell = "block py-0.5 md:table-cell md:py-2 md:pr-3 md:align-top";

/** The cell's column name, shown only where the header row is hidden. */
function Label({ children }: { children: string }) {
  return <span className="mr-1 text-gray-600 md:hidden dark:text-gray-400">{children}:</span>;
}

export function QueueTable({ items, caption }: { items: QueueItem[]; caption: string }) {
  return (
    <table className="w-full text-left text-sm">
      <caption className="sr-only">{caption}</caption>
      <thead className="hidden border-b border-gray-200 text-gray-600 md:table-header-group dark:border-gray-800 dark:text-gray-400">
        <tr>
          <th className="py-2 pr-3">Model</th>
          <th className="pr-3">Environment</th>
          <th className="pr-3">Status</th>
          <th className="pr-3">Waiting</th>
          <th className="pr-3">Submitter</th>
          <th>Key metrics vs thresholds</th>
        </tr>
      </thead>
      <tbody className="block space-y-3 md:table-row-group md:space-y-0">
        {items.map((item) => (
          <tr
            key={item.requestId}
            className="block rounded border border-gray-200 bg-white p-3 md:table-row md:rounded-none md:border-0 md:border-b md:bg-transparent md:p-0 dark:border-gray-800 dark:bg-gray-900 md:dark:bg-transparent"
          >
            <td className={`${cell} font-medium`}>
              <Link className={textLink} href={`/models/${item.model}/versions/${item.version}`}>
                {item.model}
              </Link>{" "}
              <span className="font-normal">v{item.version}</span>
            </td>
            <td className={cell}>
              <Label>Environment</Label>
              {item.environment}
            </td>
            <td className={cell}>
              <Label>Status</Label>
              <StatusBadge status={item.status} />
              {item.canDecide ? (
                <span className="ml-1 inline-block rounded bg-blue-100 px-2 py-0.5 text-xs font-medium text-blue-900 dark:bg-blue-900 dark:text-blue-100">
                  waiting for you
                </span>
              ) : null}
              {item.missing.length > 0 ? (
                <div className="mt-1 text-xs text-purple-800 dark:text-purple-300">
                  missing: {item.missing.join(", ")}
                </div>
              ) : null}
            </td>
            <td className={cell}>
              <Label>Waiting</Label>
              {ageOf(item.createdAt)}{" "}
              <span className="text-xs text-gray-600 dark:text-gray-400">
                (since <LocalTime iso={item.createdAt.toISOString()} />)
              </span>
            </td>
            <td className={cell}>
              <Label>Submitter</Label>
              {item.submitter}
            </td>
            <td className={`${cell} md:pr-0`}>
              <ChecksList checks={item.checks} />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/**
 * Each check as "metric value (threshold) mark". The value gets the digits
 * that tell it from its thresholds, so the number never contradicts the mark;
 * a comparison with the live version also prints the value it needs.
 */
function ChecksList({ checks }: { checks: QueueItem["checks"] }) {
  const formatFor = formattersByMetric(checks);
  return (
    <ul className="space-y-0.5">
      {checks.map((c) => {
        const format = formatFor(c.metric);
        return (
          <li key={c.text}>
            <span className="font-mono">
              {c.metric} {format(c.actual)}
            </span>{" "}
            <span className="text-gray-600 dark:text-gray-400">
              ({c.text}
              {c.kind === "compare" ? `, needs ${c.op} ${format(c.value)}` : ""})
            </span>{" "}
            {/* The symbol and its word stay together when the line wraps. */}
            <span className="whitespace-nowrap">
              <PassMark pass={c.pass} />
            </span>
          </li>
        );
      })}
      {checks.length === 0 ? (
        <li className="text-gray-600 dark:text-gray-400">no thresholds in policy</li>
      ) : null}
    </ul>
  );
}
