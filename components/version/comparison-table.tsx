// The candidate beside the version live in the environment and the policy's
// thresholds: one row per metric, with the delta and a pass or fail mark per
// threshold (a word and a symbol, not colour alone). Each row prints its
// numbers with enough digits to tell them apart, so a value the decision
// calls below 0.9 never reads as 0.9000.
import { PassMark } from "@/components/status-badge";
import { decimalsToTellApart, formatDelta, formatWith } from "@/lib/format";
import type { RequestView } from "@/lib/views/version-page";

// On a phone each row becomes a small card: the metric name across the top,
// the three numbers side by side under their own labels, then the checks.
const PHONE_ROW = "max-sm:grid max-sm:grid-cols-3 max-sm:gap-x-2";
const VALUE =
  "pr-3 font-mono max-sm:before:block max-sm:before:font-sans max-sm:before:text-xs " +
  "max-sm:before:text-gray-600 dark:max-sm:before:text-gray-400 " +
  "max-sm:before:content-[attr(data-label)]";

export function ComparisonTable({
  request,
  candidate,
}: {
  request: RequestView;
  candidate: number;
}) {
  const live = request.live && !request.live.isThis ? request.live.version : null;
  const liveHeading = live ? `v${live} (live)` : "live";
  return (
    <div className="overflow-x-auto">
      <table className="mt-1 w-full text-left text-sm max-sm:block">
        <caption className="sr-only">
          Metrics of v{candidate} against{" "}
          {live ? `v${live}, live in ${request.environment}, and ` : ""}
          the policy&apos;s thresholds
        </caption>
        <thead className="text-gray-600 max-sm:sr-only dark:text-gray-400">
          <tr>
            <th scope="col" className="pr-3">
              Metric
            </th>
            <th scope="col" className="pr-3">
              v{candidate}
            </th>
            <th scope="col" className="pr-3">
              {liveHeading}
            </th>
            <th scope="col" className="pr-3">
              Delta
            </th>
            <th scope="col">Policy check</th>
          </tr>
        </thead>
        <tbody className="max-sm:block">
          {request.comparisons.map((c) => {
            const decimals = decimalsToTellApart([
              c.candidate,
              c.deployed,
              ...c.checks.map((t) => t.value),
            ]);
            const failed = c.checks.some((t) => t.pass === false);
            return (
              <tr
                key={c.metric}
                data-testid={`metric-row-${c.metric}`}
                className={`${PHONE_ROW} border-t border-gray-100 align-top dark:border-gray-800 [&>*]:py-1.5 ${
                  failed ? "bg-red-50 dark:bg-red-950/40" : ""
                }`}
              >
                <th scope="row" className="pr-3 text-left font-mono font-normal max-sm:col-span-3">
                  {c.metric}
                  {/* Spaces, not margins, so the name and its notes read apart when copied. */}
                  {c.required ? " " : null}
                  {c.required ? (
                    <span
                      className="text-xs text-gray-600 dark:text-gray-400"
                      title="required before review"
                    >
                      (required)
                    </span>
                  ) : null}
                  <SplitLabel split={c.split} />
                </th>
                <td className={VALUE} data-label={`v${candidate}`}>
                  {formatWith(c.candidate, decimals)}
                </td>
                <td className={VALUE} data-label={liveHeading}>
                  {formatWith(c.deployed, decimals)}
                </td>
                <td className={VALUE} data-label="Delta">
                  {c.candidate !== null && c.deployed !== null
                    ? formatDelta(c.candidate - c.deployed, decimals)
                    : "—"}
                </td>
                <td className="max-sm:col-span-3 max-sm:!pt-0">
                  {c.checks.length === 0 && c.required ? (
                    // Required without a threshold: the policy only needs it recorded.
                    <span>
                      required to be recorded, no threshold{" "}
                      <PassMark pass={c.candidate !== null ? true : null} />
                    </span>
                  ) : c.checks.length === 0 ? (
                    <span className="text-gray-500 dark:text-gray-400">
                      not checked by the policy
                    </span>
                  ) : (
                    <ul>
                      {c.checks.map((t) => (
                        <li key={t.text}>
                          <span className="font-mono">{t.text}</span>
                          {t.kind === "compare" ? (
                            <span className="font-mono">
                              {" "}
                              (needs {t.op} {formatWith(t.value, decimals)})
                            </span>
                          ) : null}{" "}
                          <PassMark pass={t.pass} />
                        </li>
                      ))}
                    </ul>
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

/**
 * Where a value was measured, so a training-split number is never read as a
 * held-out one. Nothing for a value recorded without a split.
 */
function SplitLabel({ split }: { split: string | null }) {
  if (split === null) return null;
  return (
    <>
      {" "}
      <span className="text-xs text-gray-600 dark:text-gray-400">{split} split</span>
    </>
  );
}

/** A version with no request yet has no environment to compare with: its values alone. */
export function MetricValues({
  values,
  splits,
}: {
  values: [string, number][];
  splits: Record<string, string | null>;
}) {
  if (values.length === 0) {
    return <p className="text-sm text-gray-600 dark:text-gray-400">No metrics recorded yet.</p>;
  }
  const decimals = decimalsToTellApart(values.map(([, v]) => v));
  return (
    <table className="text-left text-sm">
      <caption className="sr-only">Metric values</caption>
      <tbody>
        {values.map(([name, value]) => (
          <tr key={name} className="border-t border-gray-100 dark:border-gray-800">
            <th scope="row" className="py-1 pr-6 font-mono font-normal">
              {name}
              <SplitLabel split={splits[name] ?? null} />
            </th>
            <td className="py-1 font-mono">{formatWith(value, decimals)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
