// The queue's filters as a GET form: submitting changes the URL (next/form
// navigates on the client and keeps history), so a filtered queue can be
// shared and the back button returns to the previous filters.
import Form from "next/form";
import Link from "next/link";
import { button, field, textLink } from "@/components/ui-classes";
import {
  DEFAULT_FILTERS,
  STATUS_CHOICES,
  STATUS_LABELS,
  type QueueFilters,
} from "@/lib/queue/filters";

const label = "block text-sm font-medium";

export function QueueFilterForm({
  filters,
  environments,
}: {
  filters: QueueFilters;
  environments: string[];
}) {
  return (
    <Form
      action="/"
      aria-label="Filter the queue"
      className="grid grid-cols-1 gap-3 sm:grid-cols-2 lg:grid-cols-4"
    >
      <div>
        <label className={label} htmlFor="queue-model">
          Model name contains
        </label>
        <input
          id="queue-model"
          name="model"
          type="search"
          maxLength={100}
          defaultValue={filters.model ?? ""}
          className={field}
        />
      </div>
      <div>
        <label className={label} htmlFor="queue-environment">
          Environment
        </label>
        <select
          id="queue-environment"
          name="environment"
          defaultValue={filters.environment ?? ""}
          className={field}
        >
          <option value="">Any environment</option>
          {environments.map((e) => (
            <option key={e} value={e}>
              {e}
            </option>
          ))}
        </select>
      </div>
      <div>
        <label className={label} htmlFor="queue-status">
          Status
        </label>
        <select id="queue-status" name="status" defaultValue={filters.status} className={field}>
          {STATUS_CHOICES.map((s) => (
            <option key={s} value={s}>
              {STATUS_LABELS[s]}
            </option>
          ))}
        </select>
      </div>
      <div>
        <label className={label} htmlFor="queue-submitter">
          Submitter (person or token)
        </label>
        <input
          id="queue-submitter"
          name="submitter"
          type="search"
          maxLength={100}
          defaultValue={filters.submitter ?? ""}
          className={field}
        />
      </div>
      <div>
        <label className={label} htmlFor="queue-sort">
          Order
        </label>
        <select id="queue-sort" name="sort" defaultValue={filters.sort} className={field}>
          <option value="oldest">Oldest first</option>
          <option value="newest">Newest first</option>
        </select>
      </div>
      <div className="flex items-end">
        <label className="flex items-center gap-2 py-2 text-sm font-medium">
          <input
            type="checkbox"
            name="mine"
            value="1"
            defaultChecked={filters.mine}
            className="h-4 w-4"
          />
          Only requests waiting for me
        </label>
      </div>
      {filters.size !== DEFAULT_FILTERS.size ? (
        <input type="hidden" name="size" value={filters.size} />
      ) : null}
      <div className="flex items-end gap-3 sm:col-span-2">
        <button type="submit" className={button.primary}>
          Apply filters
        </button>
        <Link href="/" className={`py-2 text-sm ${textLink}`}>
          Clear filters
        </Link>
      </div>
    </Form>
  );
}
