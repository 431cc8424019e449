"use client";
// A small form bound to a server action, showing the action's answer.
import { useActionState, useId } from "react";
import type { ActionState } from "@/lib/http/server-action";
import { FormStatus, useFocusOnAnswer } from "./form-answer";

type Action = (prev: ActionState, form: FormData) => Promise<ActionState>;

export function ActionForm({
  action,
  label,
  submit,
  children,
}: {
  action: Action;
  label: string;
  submit: string;
  children: React.ReactNode;
}) {
  const [state, run, pending] = useActionState(action, null);
  const statusId = useId();
  // The answer names the fields at fault; it is their description.
  const formRef = useFocusOnAnswer(state, statusId);
  return (
    <form ref={formRef} action={run} aria-label={label} className="flex flex-wrap items-end gap-2">
      {children}
      <button
        type="submit"
        disabled={pending}
        className="rounded bg-blue-700 px-3 py-1.5 text-sm font-medium text-white disabled:opacity-50"
      >
        {submit}
      </button>
      <FormStatus state={state} id={statusId} className="w-full" />
    </form>
  );
}
