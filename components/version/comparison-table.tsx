// The candidate beside the version live in the environment and the policy's
// thresholds: one row per metric, with the delta and a pass or fail mark per
// threshold (a word and a symbol, not colour alone). Each row prints its
// numbers with enough digits to tell them apart, so a value the decision
// calls below 0.9 never reads as 0.9000.
import { PassMark } from "@/components/status-badge";
import { decimalsToTellApart, formatDelta, formatWith } from "@/lib/format";
import type { RequestView } from "@/lib/views/version-page";

export function ComparisonTable({
  request,
  candidate,
}: {
  request: RequestView;
  candidate: number;
}) {
  const live = request.live && !request.live.isThis ? request.live.version : null;
  return (
    <div className="overflow-x-auto">
      <table className="mt-1 w-full min-w-[34rem] text-left text-sm">
        <caption className="sr-only">
          Metrics of v{candidate} against{" "}
          {live ? `v${live}, live in ${request.environment}, and ` : ""}
          the policy&apos;s thresholds
        </caption>
        <thead className="text-gray-600 dark:text-gray-400">
          <tr>
            <th scope="col" className="pr-3">
              Metric
            </th>
            <th scope="col" className="pr-3">
              v{candidate}
            </th>
            <th scope="col" className="pr-3">
              {live ? `v${live} (live)` : "live"}
            </th>
            <th scope="col" className="pr-3">
              Delta
            </th>
            <th scope="col">Policy check</th>
          </tr>
        </thead>
        <tbody>
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
                className={`border-t border-gray-100 align-top dark:border-gray-800 [&>*]:py-1.5 ${
                  failed ? "bg-red-50 dark:bg-red-950/40" : ""
                }`}
              >
                <th scope="row" className="pr-3 text-left font-mono font-normal">
                  {c.metric}
                  {c.required ? (
                    <span className="ml-1 text-xs text-gray-500" title="required before review">
                      (required)
                    </span>
                  ) : null}
                </th>
                <td className="pr-3 font-mono">{formatWith(c.candidate, decimals)}</td>
                <td className="pr-3 font-mono">{formatWith(c.deployed, decimals)}</td>
                <td className="pr-3 font-mono">
                  {c.candidate !== null && c.deployed !== null
                    ? formatDelta(c.candidate - c.deployed, decimals)
                    : "—"}
                </td>
                <td>
                  {c.checks.length === 0 ? (
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
