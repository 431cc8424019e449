// Every value of a metric recorded more than once (in several splits, or as a
// value and a curve). The comparison above judges one of them; the others are
// listed here so nothing a pipeline sent is hidden from the reviewer.
import { formatterFor } from "@/lib/format";
import type { SplitValue } from "@/lib/views/version-page";

export function SplitValues({ values }: { values: SplitValue[] }) {
  if (values.length === 0) return null;
  return (
    <section aria-labelledby="split-values-heading">
      <h2 id="split-values-heading" className="mb-1 text-lg font-semibold">
        Values by split
      </h2>
      <p className="text-sm text-gray-600 dark:text-gray-400">
        Policies judge one value per metric: the test split first, then validation, then values
        without a split, then the last point of a curve.
      </p>
      <table className="mt-1 text-left text-sm">
        <caption className="sr-only">Every recorded value of metrics with several</caption>
        <thead>
          <tr className="text-gray-600 dark:text-gray-400">
            <th scope="col" className="pr-6 font-normal">
              Metric
            </th>
            <th scope="col" className="pr-6 font-normal">
              Split
            </th>
            <th scope="col" className="pr-6 font-normal">
              Value
            </th>
            <th scope="col" className="font-normal">
              <span className="sr-only">Use</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {values.map((v) => {
            const format = formatterFor(
              values.filter((o) => o.metric === v.metric).map((o) => o.value),
            );
            return (
              <tr
                key={`${v.metric}\u0000${v.split ?? ""}\u0000${v.step ?? ""}`}
                data-testid={`split-value-${v.metric}-${v.split ?? "none"}`}
                className="border-t border-gray-100 dark:border-gray-800"
              >
                <th scope="row" className="py-1 pr-6 font-mono font-normal break-all">
                  {v.metric}
                </th>
                <td className="py-1 pr-6 font-mono">{v.split ?? "(none)"}</td>
                <td className="py-1 pr-6 font-mono">
                  {format(v.value)}
                  {v.step !== null ? (
                    <span className="text-gray-600 dark:text-gray-400"> (step {v.step})</span>
                  ) : null}
                </td>
                <td className="py-1 text-gray-600 dark:text-gray-400">
                  {v.judged ? "judged" : ""}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </section>
  );
}
