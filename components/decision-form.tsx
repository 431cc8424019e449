"use client";
// Approve or reject with a comment (required to reject). The server decides
// whether this person may; this form only collects the choice.
import { useRouter } from "next/navigation";
import { useActionState, useEffect, useState } from "react";
import { decideRequestAction } from "@/app/actions/decide-request";
import { button, field, outcomeText } from "@/components/ui-classes";

export function DecisionForm({ requestId }: { requestId: number }) {
  const [state, action, pending] = useActionState(decideRequestAction, null);
  // Controlled, so a refused decision keeps what the reviewer wrote.
  const [comment, setComment] = useState("");
  const router = useRouter();
  const commentError = state?.errors?.find((e) => e.field === "comment");

  useEffect(() => {
    // Someone else may have decided first: show the request as it is now.
    if (state && !state.ok && !commentError) router.refresh();
  }, [state, commentError, router]);

  return (
    <form action={action} className="mt-3 space-y-2" aria-label={`Decide request ${requestId}`}>
      <input type="hidden" name="requestId" value={requestId} />
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
      <p role="status" className={`text-sm ${outcomeText(state?.ok === true)}`}>
        {state && !commentError ? state.message : ""}
      </p>
    </form>
  );
}
