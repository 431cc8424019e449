// Where an audit event's subject can be seen: a plain function from what
// the event names (and what the history page looked up about it) to a URL.

export type SubjectContext = {
  /** The model the event belongs to, by name, when it has one. */
  model: string | null;
  /** For version, request and deployment subjects: the version's number. */
  version?: number | null;
  /** For request, deployment and policy subjects: the environment. */
  environment?: string | null;
  /** The event's actor, by name as shown (what the history's actor filter matches). */
  actor?: string;
  /** For user subjects: that person's name as shown, when they are known. */
  userName?: string | null;
  /** For access subjects: what was attempted ("page /audit", "POST /api/v1/…"). */
  attempt?: string | null;
};

export type SubjectLink = { href: string; label: string };

const enc = encodeURIComponent;

export function subjectLink(
  subjectType: string,
  subjectId: number | null,
  ctx: SubjectContext,
): SubjectLink | null {
  const model = ctx.model;
  const modelPage = model ? `/models/${enc(model)}` : null;
  const versionPage =
    modelPage && ctx.version != null ? `${modelPage}/versions/${ctx.version}` : null;
  switch (subjectType) {
    case "model":
      return modelPage && model ? { href: modelPage, label: model } : null;
    case "version":
      return versionPage ? { href: versionPage, label: `${model} v${ctx.version}` } : null;
    case "request":
      return versionPage
        ? {
            href: versionPage,
            label: `request #${subjectId} · ${model} v${ctx.version}` + envSuffix(ctx),
          }
        : null;
    case "deployment":
      // The model page's timeline for that environment tells the whole story.
      return modelPage && ctx.environment
        ? {
            href: `${modelPage}#deployments-${enc(ctx.environment)}`,
            label: `deployment of ${model} v${ctx.version ?? "?"}` + envSuffix(ctx),
          }
        : null;
    case "policy":
      if (modelPage && ctx.environment) {
        return {
          href: `${modelPage}/policies/${enc(ctx.environment)}`,
          label: `policy for ${model} in ${ctx.environment}`,
        };
      }
      // The organisation default has no page of its own, only its API: its
      // saves are found in the history.
      // TODO: the history has no subject filter, so this also lists saves of
      // models' policies; a `subject` filter (db/queries/audit.ts) would narrow it.
      return model === null
        ? { href: auditWhere({ action: "policy.saved" }), label: "organisation default policy" }
        : null;
    case "user":
      // There is no users page: what a person did is their history as an actor.
      return ctx.userName
        ? { href: auditWhere({ actor: ctx.userName }), label: `user ${ctx.userName}` }
        : null;
    case "access": {
      const page = refusedPage(ctx.attempt);
      if (page) return { href: page, label: `page ${page}` };
      return ctx.actor
        ? { href: auditWhere({ actor: ctx.actor }), label: `events by ${ctx.actor}` }
        : null;
    }
    case "token":
      return { href: "/tokens", label: `token #${subjectId ?? "?"}` };
    case "webhook":
      return { href: "/admin/webhooks", label: `webhook #${subjectId ?? "?"}` };
    case "group":
      return { href: "/settings", label: `group #${subjectId ?? "?"}` };
    case "environment":
      return { href: "/settings", label: `environment #${subjectId ?? "?"}` };
    case "audit":
      return { href: "/audit", label: "audit history" };
    default:
      return null;
  }
}

function envSuffix(ctx: SubjectContext): string {
  return ctx.environment ? ` · ${ctx.environment}` : "";
}

/** The audit history under the given filters (lib/audit/filters.ts). */
function auditWhere(filters: { actor?: string; action?: string }): string {
  return `/audit?${new URLSearchParams(filters).toString()}`;
}

/**
 * The path of a refused page view ("page /audit"), when it is a page of this
 * app: a path of its own origin, never an API route or a `//host` address.
 */
function refusedPage(attempt: string | null | undefined): string | null {
  const path = /^page (\/\S*)$/.exec(attempt ?? "")?.[1];
  if (!path || path.startsWith("//") || path.startsWith("/\\") || /^\/api(\/|$)/.test(path))
    return null;
  return path;
}
