// What a reviewer typed or tried that never became a decision, kept in the
// tab's sessionStorage: a live refresh or a lost race can remove the form,
// and the words should not go with it.

export type DecisionDraft = { comment: string; refusal: string | null };

const key = (requestId: number) => `decision-draft:${requestId}`;

export function saveDraft(requestId: number, draft: DecisionDraft): void {
  try {
    sessionStorage.setItem(key(requestId), JSON.stringify(draft));
  } catch {
    // Storage full or disabled: the draft is a courtesy, not a record.
  }
}

export function readDraft(requestId: number): DecisionDraft | null {
  try {
    const raw = sessionStorage.getItem(key(requestId));
    if (!raw) return null;
    const parsed = JSON.parse(raw) as Partial<DecisionDraft>;
    return {
      comment: typeof parsed.comment === "string" ? parsed.comment : "",
      refusal: typeof parsed.refusal === "string" ? parsed.refusal : null,
    };
  } catch {
    return null;
  }
}

export function clearDraft(requestId: number): void {
  try {
    sessionStorage.removeItem(key(requestId));
  } catch {
    // Nothing to clear.
  }
}
