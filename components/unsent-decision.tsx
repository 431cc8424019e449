"use client";
// Shown where the decision form was once the request can no longer be
// decided: why the reviewer's last click was not recorded, and the comment
// they had typed, so neither disappears without a word.
import { useEffect, useState } from "react";
import { clearDraft, readDraft, type DecisionDraft } from "./decision-draft";

const NOTICE =
  "mt-3 rounded border border-amber-300 bg-amber-50 p-2 text-sm text-amber-950 " +
  "dark:border-amber-700 dark:bg-amber-950 dark:text-amber-100";

export function UnsentDecision({ requestId }: { requestId: number }) {
  const [draft, setDraft] = useState<DecisionDraft | null>(null);
  useEffect(() => setDraft(readDraft(requestId)), [requestId]);
  if (!draft || (!draft.refusal && !draft.comment)) return null;
  return (
    <div role="alert" className={NOTICE} data-testid="unsent-decision">
      {draft.refusal ? (
        <p>Your decision was not recorded: {draft.refusal}</p>
      ) : (
        <p>The request changed before you sent your decision.</p>
      )}
      {draft.comment ? (
        <p className="mt-1">
          Your unsent comment: <q className="whitespace-pre-wrap">{draft.comment}</q>
        </p>
      ) : null}
      <button
        type="button"
        className="mt-1 underline underline-offset-4"
        onClick={() => {
          clearDraft(requestId);
          setDraft(null);
        }}
      >
        Dismiss
      </button>
    </div>
  );
}
