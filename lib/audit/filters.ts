// The audit history's filters as URL search params, validated with zod: a
// hand-edited URL with a bad value gets a message naming the field, never
// a server error. Times are ISO date-times with an offset (the page's form
// fills them from the viewer's local inputs); they compare with the stored
// UTC milliseconds. `from` is inclusive, `to` exclusive.
import { z } from "zod";
import { fieldErrorsFromZod, type FieldError } from "@/lib/errors";
import { MODEL_NAME, MODEL_NAME_RULE } from "@/lib/gate/inputs";

const optionalText = <S extends z.ZodType>(schema: S) =>
  z.preprocess(
    (v) => (typeof v === "string" && v.trim() === "" ? undefined : v),
    schema.optional(),
  );

const isoTime = z.iso.datetime({
  offset: true,
  error: "must be a date and time such as 2026-03-03T09:00:00Z",
});

export const auditFilterParams = z
  .strictObject({
    actor: optionalText(z.string().trim().max(200, { error: "must be at most 200 characters" })),
    model: optionalText(
      z
        .string()
        .trim()
        .regex(MODEL_NAME, { error: `must be ${MODEL_NAME_RULE}` }),
    ),
    action: optionalText(
      z
        .string()
        .trim()
        .regex(/^[a-z_]+(?:\.[a-z_]+)*$/, { error: "must be an action such as decision.approve" }),
    ),
    from: optionalText(isoTime),
    to: optionalText(isoTime),
    before: optionalText(z.string().regex(/^[1-9]\d{0,15}$/, { error: "must be an event id" })),
  })
  .refine((p) => !p.from || !p.to || Date.parse(p.from) < Date.parse(p.to), {
    error: "must be after from",
    path: ["to"],
  });

export type AuditFilterParams = z.output<typeof auditFilterParams>;

export type ParsedAuditQuery =
  | {
      ok: true;
      params: AuditFilterParams;
      filter: { actorName?: string; model?: string; action?: string; from?: Date; to?: Date };
      beforeId: number | null;
    }
  | { ok: false; errors: FieldError[] };

const KNOWN = ["actor", "model", "action", "from", "to", "before"];

/** Unknown and repeated parameters, named as the query parameters they are. */
function parameterErrors(query: Record<string, string | string[] | undefined>): FieldError[] {
  return Object.entries(query).flatMap(([key, value]): FieldError[] => {
    if (!KNOWN.includes(key)) {
      const message =
        `query parameter ${key} is not known; ` +
        "use actor, model, action, from or to (and before for paging)";
      return [{ field: key, rule: "unknown", message }];
    }
    if (Array.isArray(value)) {
      const message = `${key}: given ${value.length} times; give it once`;
      return [{ field: key, rule: "repeated", message }];
    }
    return [];
  });
}

/**
 * Reads the page's (or the export's) search params; a repeated or unknown
 * param is a mistake, never silently dropped or replaced by its last value.
 */
export function parseAuditQuery(
  query: Record<string, string | string[] | undefined>,
): ParsedAuditQuery {
  const wrong = parameterErrors(query);
  if (wrong.length > 0) return { ok: false, errors: wrong };
  const parsed = auditFilterParams.safeParse(query);
  if (!parsed.success) return { ok: false, errors: fieldErrorsFromZod(parsed.error.issues) };
  const p = parsed.data;
  return {
    ok: true,
    params: p,
    filter: {
      ...(p.actor ? { actorName: p.actor } : {}),
      ...(p.model ? { model: p.model } : {}),
      ...(p.action ? { action: p.action } : {}),
      ...(p.from ? { from: new Date(p.from) } : {}),
      ...(p.to ? { to: new Date(p.to) } : {}),
    },
    beforeId: p.before ? Number(p.before) : null,
  };
}

/** The query string for the same filters, on another page of results. */
export function auditQueryString(params: AuditFilterParams, beforeId: number | null = null) {
  const q = new URLSearchParams();
  for (const key of ["actor", "model", "action", "from", "to"] as const) {
    const value = params[key];
    if (value) q.set(key, value);
  }
  if (beforeId !== null) q.set("before", String(beforeId));
  const text = q.toString();
  return text ? `?${text}` : "";
}
