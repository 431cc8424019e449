// A request status as a coloured label; the word itself carries the meaning.
const STYLES: Record<string, string> = {
  approved: "bg-green-100 text-green-800 dark:bg-green-900 dark:text-green-100",
  rejected: "bg-red-100 text-red-800 dark:bg-red-900 dark:text-red-100",
  pending_review: "bg-amber-100 text-amber-900 dark:bg-amber-900 dark:text-amber-100",
  awaiting_metrics: "bg-purple-100 text-purple-900 dark:bg-purple-900 dark:text-purple-100",
  expired: "bg-gray-200 text-gray-800 dark:bg-gray-700 dark:text-gray-100",
};

export function StatusBadge({ status }: { status: string }) {
  const style = STYLES[status] ?? STYLES.expired;
  return (
    <span className={`inline-block rounded px-2 py-0.5 text-xs font-medium ${style}`}>
      {status.replace("_", " ")}
    </span>
  );
}

export function PassMark({ pass }: { pass: boolean | null }) {
  if (pass === null) return <span className="text-gray-600 dark:text-gray-400">missing</span>;
  return pass ? (
    <span className="text-green-700 dark:text-green-400">✓ pass</span>
  ) : (
    <span className="text-red-700 dark:text-red-400">✗ fail</span>
  );
}
