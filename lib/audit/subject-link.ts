// Where an audit event's subject can be seen: a plain function from what
// the event names (and what the history page looked up about it) to a URL.

export type SubjectContext = {
  /** The model the event belongs to, by name, when it has one. */
  model: string | null;
  /** For version, request and deployment subjects: the version's number. */
  version?: number | null;
  /** For request, deployment and policy subjects: the environment. */
  environment?: string | null;
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
      // The organisation default has no page of its own, only its API.
      return modelPage && ctx.environment
        ? {
            href: `${modelPage}/policies/${enc(ctx.environment)}`,
            label: `policy for ${model} in ${ctx.environment}`,
          }
        : null;
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
