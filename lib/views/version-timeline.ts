// The history of one version as its review page tells it, oldest first:
// registered, metrics recorded, approval requested (with the note), what
// the policy decided on its own, each person's decision (and whether it
// was later dismissed), superseded or expired, deployed. Built from the
// stored audit events, so it agrees with the audit history line by line.
import type { AuditEvent } from "@/db/schema";

export type TimelineEntry = {
  id: number;
  at: Date;
  kind: "version" | "request" | "policy" | "decision" | "dismissal" | "deployment";
  who: string;
  title: string;
  detail: string | null;
  /** The request it belongs to; null for the version's own events. */
  request: { id: number; environment: string } | null;
  /** For a decision a later metric change dismissed: when. */
  dismissedAt: Date | null;
};

export type TimelineRequest = { id: number; environment: string; note: string | null };
export type TimelineDecision = {
  requestId: number;
  userId: number | null;
  createdAt: Date;
  dismissedAt: Date | null;
};

const words = (status: string) => status.replace(/_/g, " ");

/** Summaries read "<model> v<n>: <why>"; the page already says which version. */
function afterSubject(summary: string): string {
  const i = summary.indexOf(": ");
  return i === -1 ? summary : summary.slice(i + 2);
}

function text(value: unknown): string | null {
  return typeof value === "string" && value.length > 0 ? value : null;
}

export function buildTimeline(
  events: readonly AuditEvent[],
  requests: readonly TimelineRequest[],
  decisions: readonly TimelineDecision[],
): TimelineEntry[] {
  const requestOf = new Map(requests.map((r) => [r.id, r]));
  return events.map((e): TimelineEntry => {
    const details = e.details ?? {};
    // A deployment names the request that allowed it.
    const requestId =
      e.subjectType === "request"
        ? e.subjectId
        : typeof details.request_id === "number"
          ? details.request_id
          : null;
    const request = requestId === null ? undefined : requestOf.get(requestId);
    const base = {
      id: e.id,
      at: e.createdAt,
      who: e.actorName,
      request: request ? { id: request.id, environment: request.environment } : null,
      dismissedAt: null,
    };
    const [subject, verb = ""] = e.action.split(".");

    if (e.action === "version.registered") {
      const count = /with (\d+) metrics?/.exec(e.summary)?.[1];
      return {
        ...base,
        kind: "version",
        title: "Registered",
        detail: count ? `with ${count} metric${count === "1" ? "" : "s"}` : null,
      };
    }
    if (e.action === "metrics.recorded") {
      const count = Number(/recorded (\d+) metrics?/.exec(e.summary)?.[1] ?? Number.NaN);
      const names = Array.isArray(details.names) ? details.names.join(", ") : null;
      const replaced = typeof details.replaced === "number" ? details.replaced : 0;
      const values = Number.isFinite(count) ? `${count.toLocaleString("en")} values` : null;
      const what = [values, names].filter(Boolean).join(": ");
      return {
        ...base,
        kind: "version",
        title: "Metrics recorded",
        detail: replaced > 0 ? `${what} (${replaced.toLocaleString("en")} replaced)` : what,
      };
    }
    if (e.action === "request.created") {
      return {
        ...base,
        kind: "request",
        title: `Approval requested for ${request?.environment ?? "an environment"}`,
        detail: request?.note ?? null,
      };
    }
    if (e.action === "request.approval_dismissed") {
      return {
        ...base,
        kind: "dismissal",
        title: "Decisions dismissed",
        detail: afterSubject(e.summary),
      };
    }
    if (subject === "decision") {
      const decided = decisions.find(
        (d) =>
          d.requestId === e.subjectId &&
          d.userId === e.actorId &&
          d.createdAt.getTime() === e.createdAt.getTime(),
      );
      return {
        ...base,
        kind: "decision",
        title: verb === "approve" ? "Approved" : "Rejected",
        detail: text(details.comment),
        dismissedAt: decided?.dismissedAt ?? null,
      };
    }
    if (subject === "request") {
      const byPolicy = e.actorType === "policy";
      return {
        ...base,
        kind: byPolicy ? "policy" : "request",
        title: byPolicy ? `Policy: ${words(verb)}` : `Request ${words(verb)}`,
        detail: text(details.reason) ?? afterSubject(e.summary),
      };
    }
    if (e.action === "deployment.rolled_back") {
      return {
        ...base,
        kind: "deployment",
        title: `Rolled back to this version in ${text(details.environment) ?? "an environment"}`,
        detail: text(details.reason),
      };
    }
    if (e.action === "deployment.recorded") {
      return {
        ...base,
        kind: "deployment",
        title: `Deployed to ${text(details.environment) ?? "an environment"}`,
        detail: null,
      };
    }
    return { ...base, kind: "version", title: e.action, detail: e.summary };
  });
}
