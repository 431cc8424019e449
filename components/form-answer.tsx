"use client";
// What every action form does when the server answers. Its buttons are
// disabled while the action runs, so the focus falls to <body>: a keyboard
// user would start again from the top and a screen reader would say nothing.
// Focus goes to the first invalid field (its error is read as its
// description), or back to the button that sent the form; the form-level
// message is read from a polite live region.
import { useCallback, useEffect, useRef } from "react";
import type { ActionState } from "@/lib/http/server-action";
import { outcomeText } from "@/components/ui-classes";

/**
 * A ref for the form: focus goes where the answer needs it. With
 * `describedBy`, the controls named by the answer's field errors are marked
 * invalid and described by that element first: for forms whose fields come
 * from server components, which cannot be handed their error.
 */
export function useFocusOnAnswer(state: ActionState<unknown>, describedBy?: string) {
  const form = useRef<HTMLFormElement | null>(null);
  const sender = useRef<HTMLElement | null>(null);

  // A callback ref: some forms (the rollback confirmation) mount later than their component.
  const ref = useCallback((element: HTMLFormElement | null) => {
    form.current = element;
    if (!element) return;
    const remember = (event: SubmitEvent) => {
      sender.current = event.submitter;
    };
    element.addEventListener("submit", remember);
    return () => element.removeEventListener("submit", remember);
  }, []);

  useEffect(() => {
    const element = form.current;
    if (!element?.isConnected) return;
    if (describedBy) markNamedFields(element, state, describedBy);
    if (!state) return;
    const invalid = element.querySelector<HTMLElement>('[aria-invalid="true"]');
    if (invalid) {
      invalid.focus();
      return;
    }
    // Only where the focus was lost: a user who moved on keeps their place.
    const lost = !document.activeElement || document.activeElement === document.body;
    if (lost && sender.current?.isConnected) sender.current.focus();
  }, [state, describedBy]);

  return ref;
}

function markNamedFields(form: HTMLFormElement, state: ActionState<unknown>, describedBy: string) {
  const named = new Set((state?.errors ?? []).map((e) => e.field));
  for (const control of form.querySelectorAll<HTMLElement>("input, select, textarea")) {
    if (control.getAttribute("type") === "hidden") continue;
    if (named.has(control.getAttribute("name") ?? "")) {
      control.setAttribute("aria-invalid", "true");
      control.setAttribute("aria-describedby", describedBy);
    } else if (control.getAttribute("aria-describedby") === describedBy) {
      control.removeAttribute("aria-invalid");
      control.removeAttribute("aria-describedby");
    }
  }
}

/**
 * The form-level answer, announced politely. When errors are shown beside
 * their fields (`atFields`), it says so in short instead of repeating them:
 * the focused field reads its own error.
 */
export function FormStatus({
  state,
  atFields = 0,
  id,
  className = "",
}: {
  state: ActionState<unknown>;
  atFields?: number;
  id?: string;
  className?: string;
}) {
  let text = state?.message ?? "";
  if (state && !state.ok && atFields > 0) {
    text =
      atFields === 1
        ? "Not done: one field needs a fix (its error is shown with it)."
        : `Not done: ${atFields} fields need a fix (each error is shown with its field).`;
  }
  return (
    <p
      id={id}
      role="status"
      aria-live="polite"
      className={`text-sm ${outcomeText(state?.ok === true)} ${className}`}
    >
      {text}
    </p>
  );
}

/**
 * For a form answered by a page load (a GET form's errors): the focus would
 * start at the top of the page, so it goes to the form's first invalid field.
 */
export function FocusFirstInvalid({ formId }: { formId: string }) {
  useEffect(() => {
    document.getElementById(formId)?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
  }, [formId]);
  return null;
}
