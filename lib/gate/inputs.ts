// The shapes every boundary accepts, validated with zod. Messages name the
// field and the rule so a pipeline log says what to fix.
import { z } from "zod";
import { badRequest, fieldErrorsFromZod } from "@/lib/errors";
import { METRIC_NAME } from "@/lib/policy/condition";
import {
  MAX_LENGTH as L,
  MAX_METRIC_STEP,
  MAX_METRICS_PER_CALL,
  MAX_PARAMS,
  MAX_TAGS,
  MAX_WAIT_SECONDS,
} from "@/lib/limits";

/**
 * Model names: 1 to 100 characters of lowercase letters, digits, ".", "_"
 * and "-", starting and ending with a letter or digit. Every such character
 * is unreserved in URLs, so a name round-trips through a path unchanged;
 * "." and ".." (path segments a URL resolver would remove), upper case
 * (case variants of one name), "/", "%" and non-ASCII look-alikes can never
 * be a name, and lookups compare bytes exactly.
 */
export const MODEL_NAME = /^[a-z0-9](?:[a-z0-9._-]{0,98}[a-z0-9])?$/;
export const MODEL_NAME_RULE =
  "1-100 lowercase letters, digits, '.', '_' or '-', starting and ending with a letter or digit";
export const ENVIRONMENT_NAME = /^[a-z][a-z0-9-]{0,39}$/;

export { MAX_METRICS_PER_CALL, MAX_WAIT_SECONDS };

/** "at most N characters", naming the limit so a pipeline log says what to fix. */
const text = (max: number) =>
  z.string({ error: "must be a string" }).max(max, { error: `must be at most ${max} characters` });

const NOT_FINITE = "must be a finite number, not NaN, Infinity, null or a string";
const finiteNumber = z.number({ error: NOT_FINITE }).refine(Number.isFinite, { error: NOT_FINITE });

export const metricInput = z.strictObject({
  name: z.string({ error: "must be a string" }).regex(METRIC_NAME, {
    error: `must start with a letter or _ and hold only letters, digits, _ . - / (at most ${L.metricName} characters)`,
  }),
  value: finiteNumber,
  step: z
    .number()
    .int({ error: "must be a whole number" })
    .min(0, { error: "must be 0 or more" })
    .max(MAX_METRIC_STEP, { error: `must be at most ${MAX_METRIC_STEP}` })
    .nullish(),
  split: text(L.split).min(1, { error: "must not be empty" }).nullish(),
});

export type MetricInput = z.output<typeof metricInput>;

const metricList = z
  .array(metricInput, { error: "must be a list of {name, value, step?, split?}" })
  .max(MAX_METRICS_PER_CALL, { error: `at most ${MAX_METRICS_PER_CALL} metrics per call` });

export const registerVersionInput = z.strictObject({
  source_uri: text(L.url).optional(),
  run_id: text(L.runId).optional(),
  commit: text(L.commit).optional(),
  pipeline_run_url: text(L.url).optional(),
  description: text(L.description).optional(),
  params: z
    .record(
      text(L.paramKey),
      z.union([text(L.paramValue), finiteNumber, z.boolean()], {
        error: `must be a string of at most ${L.paramValue} characters, a finite number or true/false`,
      }),
      {
        // Only for a body that is not an object: a bad key keeps its own message.
        error: (issue) =>
          issue.code === "invalid_type"
            ? "must be an object of string, number or boolean values"
            : issue.code === "invalid_key"
              ? `names must be at most ${L.paramKey} characters`
              : undefined,
      },
    )
    .refine((p) => Object.keys(p).length <= MAX_PARAMS, { error: `at most ${MAX_PARAMS} params` })
    .default({}),
  tags: z
    .record(text(L.tagKey), text(L.tagValue), {
      error: (issue) =>
        issue.code === "invalid_type"
          ? "must be an object of string values"
          : issue.code === "invalid_key"
            ? `names must be at most ${L.tagKey} characters`
            : undefined,
    })
    .refine((t) => Object.keys(t).length <= MAX_TAGS, { error: `at most ${MAX_TAGS} tags` })
    .default({}),
  metrics: metricList.default([]),
});

export const addMetricsInput = z.strictObject({
  metrics: metricList.min(1, { error: "must hold at least one metric" }),
});

/** Two values for the same name, step and split in one call would silently lose one. */
export function refuseDuplicateMetrics(
  metrics: readonly { name: string; step?: number | null; split?: string | null }[],
): void {
  const seen = new Set<string>();
  metrics.forEach((m, i) => {
    const key = JSON.stringify([m.name, m.step ?? null, m.split ?? null]);
    if (seen.has(key)) {
      const message = `metrics.${i}: ${m.name} is given twice for the same step and split`;
      throw badRequest("validation", `Invalid metrics: ${message}`, [
        { field: `metrics.${i}`, rule: "duplicate_metric", message },
      ]);
    }
    seen.add(key);
  });
}

const environmentName = z
  .string({ error: "must be a string" })
  .regex(ENVIRONMENT_NAME, { error: "must be a lowercase environment name such as production" });

export const requestApprovalInput = z.strictObject({
  environment: environmentName.default("production"),
  note: text(L.note).optional(),
});

export const recordDeploymentInput = z.strictObject({
  environment: environmentName.default("production"),
});

export const decisionInput = z
  .strictObject({
    decision: z.enum(["approve", "reject"], { error: 'must be "approve" or "reject"' }),
    comment: text(L.comment).trim().optional(),
    // The version's metrics_revision the decider looked at (the dashboard
    // always sends it): a decision on numbers that changed since is refused.
    metrics_revision: z.number().int().min(0).optional(),
  })
  .refine((d) => d.decision !== "reject" || (d.comment ?? "").length > 0, {
    path: ["comment"],
    error: "is required when rejecting: say what must change",
  });

export const gateQueryInput = z.object({
  environment: environmentName.default("production"),
  wait: z.coerce
    .number({ error: "must be a number of seconds" })
    .int({ error: "must be a whole number of seconds" })
    .min(0, { error: "must be 0 or more" })
    .max(MAX_WAIT_SECONDS, { error: `must be at most ${MAX_WAIT_SECONDS} seconds` })
    .default(0),
});

export const versionRef = z.object({
  name: z.string().regex(MODEL_NAME, { error: `model names are ${MODEL_NAME_RULE}` }),
  // Written one way only: "01", "1e0" or "+1" would name v1 under another URL.
  version: z
    .string()
    .regex(/^[1-9][0-9]{0,8}$/, {
      error: "must be a version number: 1, 2, 3 … without leading zeros",
    })
    .transform(Number),
});

export const requestIdRef = z.object({
  id: z
    .string()
    .regex(/^[1-9][0-9]{0,11}$/, { error: "must be a request number such as 42" })
    .transform(Number),
});

/** Validates or throws a 400 that lists every broken field. */
export function parseInput<S extends z.ZodType>(
  schema: S,
  data: unknown,
  what: string,
): z.output<S> {
  const result = schema.safeParse(data);
  if (result.success) return result.data;
  const errors = fieldErrorsFromZod(result.error.issues);
  throw badRequest(
    "validation",
    `Invalid ${what}: ${errors.map((e) => e.message).join("; ")}`,
    errors,
  );
}
