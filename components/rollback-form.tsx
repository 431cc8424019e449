"use client";
// The rollback button for one environment: a first click asks to confirm
// and for a reason; only the second submits. The server decides whether
// this person may, and whether the live version is still the one shown.
import { useRouter } from "next/navigation";
import { useActionState, useEffect, useId, useRef, useState } from "react";
import { rollbackDeploymentAction } from "@/app/actions/rollback-deployment";
import { button, field } from "@/components/ui-classes";
import { FormStatus, useFocusOnAnswer } from "./form-answer";

type Props = { model: string; environment: string; live: number; to: number | null };

export function RollbackForm({ model, environment, live: from, to }: Props) {
  const [state, action, pending] = useActionState(rollbackDeploymentAction, null);
  const [confirming, setConfirming] = useState(false);
  const [reason, setReason] = useState("");
  const router = useRouter();
  const id = useId();
  const reasonRef = useRef<HTMLTextAreaElement>(null);
  const reasonError = state?.errors?.find((e) => e.field === "reason");
  const formRef = useFocusOnAnswer(state);

  useEffect(() => {
    if (confirming) reasonRef.current?.focus();
  }, [confirming]);
  useEffect(() => {
    // Done, or someone else changed what is live: show the page as it is now.
    if (state && !reasonError) {
      setConfirming(false);
      router.refresh();
    }
  }, [state, reasonError, router]);

  const what = `Roll back ${environment} from v${from} to v${to}`;
  return (
    <div className="space-y-2">
      {to === null ? (
        <p className="text-sm text-gray-600 dark:text-gray-400">
          Nothing to roll back to: no earlier version is left to step back to here.
        </p>
      ) : !confirming ? (
        <button type="button" className={button.reject} onClick={() => setConfirming(true)}>
          {what}…
        </button>
      ) : (
        <form
          ref={formRef}
          action={action}
          aria-label={`Confirm rollback in ${environment}`}
          className="space-y-2"
        >
          <p className="text-sm font-medium">
            {what}? v{to} becomes live in {environment} again, and pipelines compare new candidates
            with it.
          </p>
          <input type="hidden" name="model" value={model} />
          <input type="hidden" name="environment" value={environment} />
          <input type="hidden" name="expected_version" value={from} />
          <label htmlFor={`${id}-reason`} className="block text-sm font-medium">
            Reason <span className="font-normal text-gray-600 dark:text-gray-400">(required)</span>
          </label>
          <textarea
            ref={reasonRef}
            id={`${id}-reason`}
            name="reason"
            rows={2}
            maxLength={2000}
            value={reason}
            onChange={(e) => setReason(e.target.value)}
            aria-required="true"
            aria-invalid={reasonError ? true : undefined}
            aria-describedby={reasonError ? `${id}-reason-error` : undefined}
            className={field}
          />
          {reasonError ? (
            <p id={`${id}-reason-error`} className="text-sm text-red-700 dark:text-red-400">
              {reasonError.message}
            </p>
          ) : null}
          <div className="flex flex-wrap gap-2">
            <button type="submit" disabled={pending} className={button.reject}>
              Confirm rollback
            </button>
            <button
              type="button"
              className="rounded border border-gray-300 px-4 py-2 text-sm dark:border-gray-700"
              onClick={() => setConfirming(false)}
            >
              Cancel
            </button>
          </div>
        </form>
      )}
      <FormStatus state={state} atFields={reasonError ? 1 : 0} />
    </div>
  );
}
