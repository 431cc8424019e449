"use client";
// A small form bound to a server action, showing the action's answer.
import { useActionState } from "react";
import type { ActionState } from "@/lib/http/server-action";

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
  return (
    <form action={run} aria-label={label} className="flex flex-wrap items-end gap-2">
      {children}
      <button
        type="submit"
        disabled={pending}
        className="rounded bg-blue-700 px-3 py-1.5 text-sm font-medium text-white disabled:opacity-50"
      >
        {submit}
      </button>
      <p
        role="status"
        className={`w-full text-sm ${state?.ok ? "text-green-700 dark:text-green-400" : "text-red-700 dark:text-red-400"}`}
      >
        {state?.message ?? ""}
      </p>
    </form>
  );
}
