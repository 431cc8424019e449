import Link from "next/link";
import { getDb } from "@/db/client";
import { LocalTime } from "@/components/local-time";
import { loadOrRefuse, requirePageUser } from "@/lib/http/page-user";
import { getAuditPage } from "@/lib/views/audit-page";
import { outcomeBox } from "@/components/ui-classes";

export const dynamic = "force-dynamic";

type Props = { searchParams: Promise<{ before?: string }> };

export default async function AuditPage({ searchParams }: Props) {
  const user = await requirePageUser();
  const { before } = await searchParams;
  const beforeId = before && /^\d+$/.test(before) ? Number(before) : null;
  const loaded = loadOrRefuse(() => getAuditPage(getDb(), user, beforeId));
  if (!loaded.ok) {
    return (
      <p className="text-sm" role="alert">
        The audit history is for leads and admins. {loaded.why}
      </p>
    );
  }
  const page = loaded.page;
  return (
    <div>
      <h1 className="mb-1 text-2xl font-semibold">Audit history</h1>
      <p className="mb-4 text-sm text-gray-600 dark:text-gray-400">
        Every change of state, newest first. Events are append-only and hash-chained.
      </p>
      <p
        role="status"
        data-testid="chain-state"
        className={`mb-4 rounded p-2 text-sm ${outcomeBox(page.chain.ok)}`}
      >
        {page.chain.ok
          ? `Hash chain intact: ${page.chain.events} events checked.`
          : `Hash chain broken at event #${page.chain.brokenAt}: ${page.chain.why}.`}
      </p>
      <div className="overflow-x-auto">
        <table className="w-full min-w-[44rem] text-left text-sm">
          <thead className="border-b border-gray-200 text-gray-600 dark:border-gray-800 dark:text-gray-400">
            <tr>
              <th className="py-2 pr-3">Time</th>
              <th className="pr-3">Actor</th>
              <th className="pr-3">Action</th>
              <th className="pr-3">Subject</th>
              <th>What</th>
            </tr>
          </thead>
          <tbody>
            {page.events.map((e) => (
              <tr
                key={e.id}
                className="[&>td]:py-2 border-b border-gray-100 align-top dark:border-gray-900"
              >
                <td className="whitespace-nowrap py-2 pr-3">
                  <LocalTime iso={e.createdAt.toISOString()} seconds />
                </td>
                <td className="pr-3">
                  {e.actorName} <span className="text-xs text-gray-500">({e.actorType})</span>
                </td>
                <td className="pr-3 font-mono text-xs">{e.action}</td>
                <td className="pr-3 font-mono text-xs">
                  {e.subjectType} #{e.subjectId ?? "—"}
                </td>
                <td>{e.summary}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <nav aria-label="Pages" className="mt-4 flex gap-3 text-sm">
        {beforeId !== null ? (
          <Link href="/audit" className="text-blue-700 hover:underline dark:text-blue-400">
            Newest
          </Link>
        ) : null}
        {page.nextBeforeId !== null ? (
          <Link
            href={`/audit?before=${page.nextBeforeId}`}
            className="text-blue-700 hover:underline dark:text-blue-400"
          >
            Older events
          </Link>
        ) : null}
      </nav>
    </div>
  );
}
