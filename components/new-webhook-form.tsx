"use client";
// Adds a webhook and shows its signing secret, once: it is not shown again.
import { useActionState, useId } from "react";
import type { NewWebhook } from "@/app/actions/manage-webhooks";
import type { ActionState } from "@/lib/http/server-action";
import { FormStatus, useFocusOnAnswer } from "./form-answer";

type Action = (
  prev: ActionState<NewWebhook>,
  input: { url: string; events: string[] },
) => Promise<ActionState<NewWebhook>>;

const input =
  "rounded border border-gray-300 bg-white p-1.5 text-sm dark:border-gray-700 dark:bg-gray-900";
const button = "rounded bg-blue-700 px-3 py-1.5 text-sm font-medium text-white disabled:opacity-50";
const notice =
  "rounded border border-amber-300 bg-amber-50 p-3 text-sm " +
  "dark:border-amber-700 dark:bg-amber-950";

export function NewWebhookForm({ action, events }: { action: Action; events: readonly string[] }) {
  const [state, run, pending] = useActionState(action, null);
  const statusId = useId();
  // The answer names the fields at fault (the URL, the events); it is their description.
  const formRef = useFocusOnAnswer(state, statusId);
  const submit = (form: FormData) =>
    run({
      url: String(form.get("url") ?? ""),
      events: form.getAll("events").map(String),
    });
  return (
    <div className="space-y-3">
      <form ref={formRef} action={submit} aria-label="Add webhook" className="space-y-2">
        <label className="block text-sm">
          URL{" "}
          <input
            name="url"
            type="url"
            required
            placeholder="https://bot.example.com/approval-events"
            className={`${input} w-full max-w-xl`}
          />
        </label>
        <fieldset className="flex flex-wrap gap-3 text-sm">
          <legend className="mb-1">Events</legend>
          {events.map((e) => (
            <label key={e} className="flex items-center gap-1 font-mono text-xs">
              <input type="checkbox" name="events" value={e} defaultChecked /> {e}
            </label>
          ))}
        </fieldset>
        <button type="submit" disabled={pending} className={button}>
          Add webhook
        </button>
        <FormStatus state={state} id={statusId} />
      </form>
      {state?.ok && state.data ? (
        <div className={notice}>
          <label className="block">
            Signing secret of webhook #{state.data.id}{" "}
            <input
              readOnly
              value={state.data.secret}
              className={`${input} w-full max-w-xl font-mono`}
            />
          </label>
          <p className="mt-1">
            Copy it to the receiver now: it is not shown again. Receivers verify each delivery with
            it (see the README).
          </p>
        </div>
      ) : null}
    </div>
  );
}
