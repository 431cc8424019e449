// Who asked for approval, when and why, at the top of the page: the first
// thing a reviewer needs and what status dialogs tend to leave out.
import { LocalTime } from "@/components/local-time";
import { StatusBadge } from "@/components/status-badge";
import type { RequestView } from "@/lib/views/version-page";
import { textLink } from "@/components/ui-classes";

export function RequesterNotes({ requests }: { requests: RequestView[] }) {
  if (requests.length === 0) {
    return (
      <p className="text-sm" data-testid="no-request">
        No approval has been requested for this version yet.
      </p>
    );
  }
  return (
    <ul className="space-y-2" aria-label="Requests">
      {requests.map((r) => (
        <li
          key={r.id}
          data-testid="requester-note"
          className="rounded border-l-4 border-blue-600 bg-blue-50 p-3 dark:border-blue-400 dark:bg-blue-950/50"
        >
          <p className="flex flex-wrap items-center gap-x-2 text-sm">
            <strong>{r.requestedBy}</strong>
            <span>
              asked for <strong>{r.environment}</strong> ·{" "}
              <LocalTime iso={r.createdAt.toISOString()} />
            </span>
            <StatusBadge status={r.status} />
            <a href={`#request-${r.id}`} className={textLink}>
              request #{r.id}
            </a>
          </p>
          {r.note ? (
            <blockquote className="mt-1 whitespace-pre-wrap">{r.note}</blockquote>
          ) : (
            <p className="mt-1 text-sm text-gray-600 dark:text-gray-400">No note was given.</p>
          )}
        </li>
      ))}
    </ul>
  );
}
