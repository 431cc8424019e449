// Parameters or tags against the version live in the environment: changes
// first, each marked in words; the unchanged ones folded away.
//
// Names run to 100 characters and values to 2,000 (lib/limits.ts). Both wrap
// at spaces where they have any and anywhere else where they do not, inside
// a name column of at most a third; on a phone a changed value goes under
// its name and takes the whole width, so it never shrinks to a character a
// line.
import type { DiffRow } from "@/lib/views/version-page";

const WRAP = "min-w-0 wrap-anywhere";
/** Below `sm` a row is a two-line card: name and mark, then the value. */
const PHONE_TABLE = "max-sm:block max-sm:[&>tbody]:block";
const PHONE_ROW = "max-sm:grid max-sm:grid-cols-[minmax(0,1fr)_auto] max-sm:gap-x-3";

const MARK: Record<DiffRow["status"], { word: string; style: string }> = {
  changed: { word: "changed", style: "text-amber-800 dark:text-amber-300" },
  added: { word: "added", style: "text-green-800 dark:text-green-300" },
  removed: { word: "removed", style: "text-red-800 dark:text-red-300" },
  unchanged: { word: "same", style: "text-gray-500 dark:text-gray-400" },
};

function Rows({ rows }: { rows: DiffRow[] }) {
  return (
    <>
      {rows.map((r) => (
        <tr
          key={r.key}
          data-testid={`diff-${r.key}`}
          className={`${PHONE_ROW} border-t border-gray-100 align-top dark:border-gray-800`}
        >
          <th scope="row" className={`${WRAP} pr-3 text-left font-mono font-normal`}>
            {r.key}
          </th>
          <td className={`pr-3 text-xs font-medium ${MARK[r.status].style}`}>
            {MARK[r.status].word}
          </td>
          <td className={`${WRAP} font-mono max-sm:col-span-2 max-sm:pb-1`}>
            {r.status === "changed" ? (
              <>
                <del className="text-gray-600 dark:text-gray-400">{r.before}</del> →{" "}
                <ins className="no-underline">{r.after}</ins>
              </>
            ) : r.status === "removed" ? (
              <del className="text-gray-600 dark:text-gray-400">{r.before}</del>
            ) : (
              r.after
            )}
          </td>
        </tr>
      ))}
    </>
  );
}

/** Fixed widths from `sm` up: a long name wraps in its third, the value keeps the rest. */
function Columns() {
  return (
    <colgroup>
      <col className="w-1/3" />
      <col className="w-20" />
      <col />
    </colgroup>
  );
}

export function RecordDiff({
  title,
  rows,
  against,
}: {
  title: string;
  rows: DiffRow[];
  against: string;
}) {
  const changes = rows.filter((r) => r.status !== "unchanged");
  const same = rows.filter((r) => r.status === "unchanged");
  return (
    <section aria-label={`${title} against ${against}`}>
      <h3 className="font-medium">
        {title}{" "}
        <span className="text-sm font-normal text-gray-600 dark:text-gray-400">
          against {against}
        </span>
      </h3>
      {changes.length === 0 ? (
        <p className="text-sm text-gray-600 dark:text-gray-400">
          {rows.length === 0 ? "None on either version." : "No differences."}
        </p>
      ) : (
        <table className={`w-full table-fixed text-sm ${PHONE_TABLE}`}>
          <Columns />
          <tbody>
            <Rows rows={changes} />
          </tbody>
        </table>
      )}
      {same.length > 0 ? (
        <details className="mt-1 text-sm">
          <summary className="cursor-pointer text-gray-600 dark:text-gray-400">
            {same.length} unchanged
          </summary>
          <table
            className={`w-full table-fixed text-sm text-gray-600 dark:text-gray-400 ${PHONE_TABLE}`}
          >
            <Columns />
            <tbody>
              <Rows rows={same} />
            </tbody>
          </table>
        </details>
      ) : null}
    </section>
  );
}

/** The plain list, when nothing else is live to compare with. */
export function RecordList({
  title,
  record,
}: {
  title: string;
  record: Record<string, string | number | boolean>;
}) {
  const entries = Object.entries(record).sort(([a], [b]) => a.localeCompare(b));
  return (
    <section aria-label={title}>
      <h3 className="font-medium">{title}</h3>
      {entries.length === 0 ? (
        <p className="text-sm text-gray-600 dark:text-gray-400">None.</p>
      ) : (
        // The name column is as wide as the longest name, up to a third.
        <dl className="grid grid-cols-[fit-content(33%)_minmax(0,1fr)] gap-x-3 text-sm">
          {entries.map(([k, v]) => (
            <div key={k} className="contents">
              <dt className={`${WRAP} font-mono text-gray-600 dark:text-gray-400`}>{k}</dt>
              <dd className={`${WRAP} font-mono`}>{String(v)}</dd>
            </div>
          ))}
        </dl>
      )}
    </section>
  );
}
