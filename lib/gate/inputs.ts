// The shapes every boundary accepts, validated with zod. Messages name the
// field and the rule so a pipeline log says what to fix.
import { z } from "zod";
import { badRequest, fieldErrorsFromZod } from "@/lib/errors";
import { METRIC_NAME } from "@/lib/policy/condition";

/**
 * Model names: 1 to 100 characters of lowercase letters, digits, ".", "_"
 * and "-", starting and ending with a letter or digit. Every such character
 * is unreserved in URLs, so a name round-trips through a path unchanged.
 */
export const MODEL_NAME = /^[a-z0-9](?:[a-z0-9._-]{0,98}[a-z0-9])?$/;
export const MODEL_NAME_RULE =
  "1-100 lowercase letters, digits, '.', '_' or '-', starting and ending with a letter or digit";
export const ENVIRONMENT_NAME = /^[a-z][a-z0-9-]{0,39}$/;

// The agreed limit: one call holds at most 10,000 values, so a 100,000-step
// series is ten calls, each well under the 1 MB body limit.
export const MAX_METRICS_PER_CALL = 10_000;
export const MAX_WAIT_SECONDS = 60;

const NOT_FINITE = "must be a finite number, not NaN, Infinity, null or a string";
const finiteNumber = z.number({ error: NOT_FINITE }).refine(Number.isFinite, { error: NOT_FINITE });

export const metricInput = z.strictObject({
  name: z.string({ error: "must be a string" }).regex(METRIC_NAME, {
    error: "must start with a letter or _ and hold only letters, digits, _ . - /",
  }),
  value: finiteNumber,
  step: z.number().int({ error: "must be a whole number" }).min(0).nullish(),
  split: z.string().min(1).max(40).nullish(),
});

export type MetricInput = z.output<typeof metricInput>;

const metricList = z
  .array(metricInput, { error: "must be a list of {name, value, step?, split?}" })
  .max(MAX_METRICS_PER_CALL, { error: `at most ${MAX_METRICS_PER_CALL} metrics per call` });

export const registerVersionInput = z.strictObject({
  source_uri: z.string().max(2000).optional(),
  run_id: z.string().max(200).optional(),
  commit: z.string().max(100).optional(),
  pipeline_run_url: z.string().max(2000).optional(),
  description: z.string().max(5000).optional(),
  params: z
    .record(
      z.string().max(100),
      z.union([z.string().max(2000), finiteNumber, z.boolean()], {
        error: "must be a string, a finite number or true/false",
      }),
      {
        error: "must be an object of string, number or boolean values",
      },
    )
    .refine((p) => Object.keys(p).length <= 500, { error: "at most 500 params" })
    .default({}),
  tags: z
    .record(z.string().max(100), z.string({ error: "tag values must be strings" }).max(500), {
      error: "must be an object of string values",
    })
    .refine((t) => Object.keys(t).length <= 200, { error: "at most 200 tags" })
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
  note: z.string().max(5000).optional(),
});

export const recordDeploymentInput = z.strictObject({
  environment: environmentName.default("production"),
});

export const decisionInput = z
  .strictObject({
    decision: z.enum(["approve", "reject"], { error: 'must be "approve" or "reject"' }),
    comment: z.string().trim().max(5000).optional(),
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
