"use client";
// Approve or reject with a comment (required to reject). The server decides
// whether this person may; this form only collects the choice.
import { useRouter } from "next/navigation";
import { useActionState, useEffect, useRef, useState } from "react";
import { decideRequestAction } from "@/app/actions/decide-request";
import { button, field } from "@/components/ui-classes";
import { clearDraft, readDraft, saveDraft } from "./decision-draft";
import { FormStatus, useFocusOnAnswer } from "./form-answer";

export function DecisionForm({
  requestId,
  metricsRevision,
}: {
  requestId: number;
  /** The version's metrics as this page shows them; a decision on older numbers is refused. */
  metricsRevision: number;
}) {
  const [state, action, pending] = useActionState(decideRequestAction, null);
  // Controlled, so a refused decision keeps what the reviewer wrote.
  const [comment, setComment] = useState("");
  const router = useRouter();
  const commentError = state?.errors?.find((e) => e.field === "comment");
  const formRef = useFocusOnAnswer(state);

  // A live refresh removes the form when the request is decided elsewhere:
  // keep the half-typed comment for the notice that replaces it.
  const latest = useRef(comment);
  latest.current = comment;
  const sent = useRef(false);
  sent.current = state?.ok === true;

  useEffect(() => {
    // Someone else may have decided first: keep why this click failed and what
    // was typed (the refreshed page may no longer have this form), then show
    // the request as it is now.
    if (state && !state.ok && !commentError) {
      saveDraft(requestId, { comment: latest.current, refusal: state.message });
      router.refresh();
    }
    if (state?.ok) clearDraft(requestId);
  }, [state, commentError, router, requestId]);

  useEffect(() => {
    // A comment left behind by an earlier visit to this page comes back.
    const draft = readDraft(requestId);
    if (draft && !draft.refusal && draft.comment) setComment(draft.comment);
    clearDraft(requestId);
  }, [requestId]);

  useEffect(
    () => () => {
      if (!sent.current && latest.current.trim() && !readDraft(requestId)) {
        saveDraft(requestId, { comment: latest.current, refusal: null });
      }
    },
    [requestId],
  );

  return (
    <form
      ref={formRef}
      action={action}
      className="mt-3 space-y-2"
      aria-label={`Decide request ${requestId}`}
    >
      <input type="hidden" name="requestId" value={requestId} />
      <input type="hidden" name="metricsRevision" value={metricsRevision} />
      <label className="block text-sm font-medium" htmlFor={`comment-${requestId}`}>
        Comment{" "}
        <span className="font-normal text-gray-600 dark:text-gray-400">(required to reject)</span>
      </label>
      <textarea
        id={`comment-${requestId}`}
        name="comment"
        rows={3}
        maxLength={5000}
        value={comment}
        onChange={(e) => setComment(e.target.value)}
        aria-invalid={commentError ? true : undefined}
        aria-describedby={commentError ? `comment-error-${requestId}` : undefined}
        className={field}
      />
      {commentError ? (
        <p id={`comment-error-${requestId}`} className="text-sm text-red-700 dark:text-red-400">
          {commentError.message}
        </p>
      ) : null}
      <div className="flex gap-2">
        <button
          type="submit"
          name="decision"
          value="approve"
          disabled={pending}
          className={button.approve}
        >
          Approve
        </button>
        <button
          type="submit"
          name="decision"
          value="reject"
          disabled={pending}
          className={button.reject}
        >
          Reject
        </button>
      </div>
      <FormStatus state={state} atFields={commentError ? 1 : 0} />
    </form>
  );
}
