import Link from "next/link";
import { Fragment } from "react";
import { getDb } from "@/db/client";
import { FocusFirstInvalid } from "@/components/form-answer";
import { LocalDateTimeField } from "@/components/local-date-time-field";
import { LocalTime } from "@/components/local-time";
import { button, field, outcomeBox, outcomeText, textLink } from "@/components/ui-classes";
import { auditQueryString } from "@/lib/audit/filters";
import { loadOrRefuse, requirePageUser } from "@/lib/http/page-user";
import { getAuditPage } from "@/lib/views/audit-page";

export const dynamic = "force-dynamic";

type Query = Record<string, string | string[] | undefined>;
const FILTER_KEYS = ["actor", "model", "action", "from", "to"];
type Props = { searchParams: Promise<Query> };

export default async function AuditPage({ searchParams }: Props) {
  const user = await requirePageUser();
  const query = await searchParams;
  const loaded = await loadOrRefuse(user, "/audit", () => getAuditPage(getDb(), user, query));
  if (!loaded.ok) {
    return (
      <p className="text-sm" role="alert">
        The audit history is for leads and admins. {loaded.why}
      </p>
    );
  }
  const page = loaded.page;
  const raw = (key: string) => (typeof query[key] === "string" ? (query[key] as string) : "");
  const errorOf = (f: string) => page.errors.find((e) => e.field === f);
  const errorId = (f: string) => (errorOf(f) ? `audit-error-${f}` : undefined);
  const filters = page.params ? auditQueryString(page.params) : "";

  return (
    <div className="space-y-4">
      <header>
        <h1 className="mb-1 text-2xl font-semibold">Audit history</h1>
        <p className="text-sm text-gray-600 dark:text-gray-400">
          Every change of state, newest first. Events are append-only and hash-chained.
        </p>
      </header>
      <p
        role="status"
        data-testid="chain-state"
        className={`rounded p-2 text-sm ${outcomeBox(page.chain.ok)}`}
      >
        {page.chain.ok
          ? `Hash chain intact: ${page.chain.events} events checked.`
          : `Hash chain broken at event #${page.chain.brokenAt}: ${page.chain.why}.`}{" "}
        <span data-testid="chain-full-check">
          Whole history last re-hashed{" "}
          <LocalTime iso={page.chain.fullCheckAt.toISOString()} seconds />; newer events at this
          view (the whole history again after a minute).
        </span>
        {/* Written down, the head is an anchor: `npm run audit:verify -- --anchor id:hash`
            later fails if events were cut from the end since (the chain alone cannot tell). */}
        {page.chain.ok && page.chain.headId !== null && (
          <span data-testid="chain-head" className="mt-1 block break-all">
            Head: event #{page.chain.headId}, hash <code>{page.chain.head}</code>. Note it down to
            check later that nothing after it was removed.
          </span>
        )}
      </p>

      {/* Keyed on the filters: a link to other filters (an event's subject) keeps this page
          mounted, and the fields' defaults would otherwise still show the old ones. */}
      <form
        key={FILTER_KEYS.map(raw).join("\n")}
        id="audit-filters"
        aria-label="Filter the history"
        className="grid gap-3 sm:grid-cols-2 lg:grid-cols-6"
      >
        <Choice
          name="actor"
          label="Actor"
          any="Anyone"
          value={raw("actor")}
          options={page.choices.actors}
          errorId={errorId("actor")}
        />
        <Choice
          name="model"
          label="Model"
          any="Any model"
          value={raw("model")}
          options={page.choices.models.map((m) => m.name)}
          errorId={errorId("model")}
        />
        <Choice
          name="action"
          label="Action"
          any="Any action"
          value={raw("action")}
          options={page.choices.actions}
          errorId={errorId("action")}
        />
        <div className="text-sm">
          <label htmlFor="audit-from" className="block font-medium">
            From <span className="font-normal text-gray-600 dark:text-gray-400">(your time)</span>
          </label>
          <LocalDateTimeField
            id="audit-from"
            name="from"
            iso={raw("from")}
            errorId={errorId("from")}
          />
        </div>
        <div className="text-sm">
          <label htmlFor="audit-to" className="block font-medium">
            Until{" "}
            <span className="font-normal text-gray-600 dark:text-gray-400">(not included)</span>
          </label>
          <LocalDateTimeField id="audit-to" name="to" iso={raw("to")} errorId={errorId("to")} />
        </div>
        <div className="flex items-end gap-2">
          <button type="submit" className={button.primary}>
            Filter
          </button>
          <Link href="/audit" className={`py-2 text-sm ${textLink}`}>
            Clear
          </Link>
        </div>
      </form>

      {page.errors.length > 0 ? (
        <FocusFirstInvalid key={FILTER_KEYS.map(raw).join("\n")} formId="audit-filters" />
      ) : null}
      {page.errors.length > 0 ? (
        <ul role="alert" aria-label="Filter errors" className={`text-sm ${outcomeText(false)}`}>
          {page.errors.map((e) => (
            <li key={e.field + e.message} id={`audit-error-${e.field}`}>
              {e.message}
            </li>
          ))}
        </ul>
      ) : (
        <p className="text-sm">
          <a href={`/audit/export${filters}`} className={textLink} download>
            Download {page.filtered ? "these events" : "the whole history"} as CSV
          </a>
        </p>
      )}

      {/* A table from a small tablet up; on a phone each event is a stacked card. */}
      <div>
        <table className="w-full text-left text-sm">
          <thead className="hidden border-b border-gray-200 text-gray-600 sm:table-header-group dark:border-gray-800 dark:text-gray-400">
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
                className="block border-b border-gray-100 py-2 align-top sm:table-row sm:py-0 dark:border-gray-900 [&>td]:block sm:[&>td]:table-cell sm:[&>td]:py-2"
              >
                <td className="pr-3 whitespace-nowrap">
                  <LocalTime iso={e.createdAt.toISOString()} seconds />
                </td>
                <td className="pr-3 wrap-anywhere">
                  {e.actorName}
                  {/* A token's name already says "token:"; people and the system get their kind. */}
                  {e.actorType === "token" ? null : (
                    <span className="text-xs text-gray-600 dark:text-gray-400">
                      {" "}
                      ({e.actorType})
                    </span>
                  )}
                </td>
                <td className="pr-3 font-mono text-xs">
                  {/* Breaks after a dot only, so the column is never squeezed mid-word. */}
                  {e.action.split(".").map((part, i) => (
                    <Fragment key={i}>
                      {i > 0 ? (
                        <>
                          .<wbr />
                        </>
                      ) : null}
                      {part}
                    </Fragment>
                  ))}
                </td>
                <td className="pr-3 text-xs">
                  {e.link ? (
                    <Link href={e.link.href} className={textLink}>
                      {e.link.label}
                    </Link>
                  ) : (
                    <span className="font-mono">
                      {e.subjectType} #{e.subjectId ?? "—"}
                    </span>
                  )}
                </td>
                <td className="wrap-anywhere">{e.summary}</td>
              </tr>
            ))}
          </tbody>
        </table>
        {page.ok && page.events.length === 0 ? (
          <p className="py-3 text-sm">No events match these filters.</p>
        ) : null}
      </div>
      {page.params ? (
        <nav aria-label="Pages" className="flex gap-3 text-sm">
          {page.params.before ? (
            <Link href={`/audit${filters}`} className={textLink}>
              Newest
            </Link>
          ) : null}
          {page.nextBeforeId !== null ? (
            <Link
              href={`/audit${auditQueryString(page.params, page.nextBeforeId)}`}
              className={textLink}
            >
              Older events
            </Link>
          ) : null}
        </nav>
      ) : null}
    </div>
  );
}

function Choice(props: {
  name: string;
  label: string;
  any: string;
  value: string;
  options: string[];
  errorId?: string;
}) {
  const options =
    props.value && !props.options.includes(props.value)
      ? [props.value, ...props.options]
      : props.options;
  // min-w-0: a select is as wide as its longest option (a 100-character model name).
  return (
    <div className="min-w-0 text-sm">
      <label htmlFor={`audit-${props.name}`} className="block font-medium">
        {props.label}
      </label>
      <select
        id={`audit-${props.name}`}
        name={props.name}
        defaultValue={props.value}
        aria-invalid={props.errorId ? true : undefined}
        aria-describedby={props.errorId}
        className={field}
      >
        <option value="">{props.any}</option>
        {options.map((o) => (
          <option key={o} value={o}>
            {o}
          </option>
        ))}
      </select>
    </div>
  );
}
