// Policy text (YAML) to a Policy, with errors that name the line, the field
// and the rule broken. A wrong shape is refused, never silently skipped.
import { isMap, isScalar, LineCounter, parseDocument } from "yaml";
import { z } from "zod";
import { MAX_APPROVAL_RULES, MAX_APPROVERS_PER_RULE, MAX_CONDITIONS } from "@/lib/limits";
import type { FieldError } from "@/lib/errors";
import { METRIC_NAME, parseCondition, type Condition } from "./condition";
import { ON_REJECT, type Policy } from "./policy";
import { ROLES } from "@/lib/roles";

export type PolicyError = FieldError & { line: number | null };
/** The line a path of the document starts on, for errors found after parsing. */
export type LineOf = (path: PropertyKey[]) => number | null;
export type ParseResult =
  { ok: true; policy: Policy; lineOf: LineOf } | { ok: false; errors: PolicyError[] };

const DURATION = /^(\d{1,5})\s*(m|h|d)$/;
const UNIT_MS = { m: 60_000, h: 3_600_000, d: 86_400_000 } as const;
const APPROVER = /^(role:[a-z]+|group:[a-z0-9][a-z0-9_-]*|[^\s@:]+@[^\s@]+)$/;

const condition = z.string({ error: "must be a condition string" }).superRefine((text, ctx) => {
  const parsed = parseCondition(text);
  if ("error" in parsed)
    ctx.addIssue({ code: "custom", message: parsed.error, params: { rule: parsed.rule } });
});

const conditionList = z
  .array(condition, {
    error: (issue) => (issue.input === undefined ? "is required" : "must be a list of conditions"),
  })
  .max(MAX_CONDITIONS, { error: `must hold at most ${MAX_CONDITIONS} conditions` });

const approver = z
  .string({ error: "each approver must be a string" })
  .regex(APPROVER, { error: "must be role:<role>, group:<name> or an email" })
  .refine((a) => !a.startsWith("role:") || ROLES.includes(a.slice(5) as never), {
    error: `names an unknown role; roles are ${ROLES.join(", ")}`,
  })
  // Viewers never decide, so naming them would read as "anyone" while meaning
  // "reviewers and up": refuse it rather than let the policy say what it doesn't do.
  .refine((a) => a !== "role:viewer", {
    error: "viewers never decide; name role:reviewer for everyone who may decide",
    params: { rule: "role_cannot_decide" },
  });

const approvalRule = z.strictObject({
  name: z
    .string({ error: "must be a name" })
    .min(1, { error: "must not be empty" })
    .max(60, { error: "must be at most 60 characters" })
    .optional(),
  approvers: z
    .array(approver, {
      // The seed's classic mistake: `approvers: 'bob'` must not be skipped.
      error: (issue) =>
        issue.input === undefined
          ? "is required: list who may approve, e.g. [role:reviewer]"
          : typeof issue.input === "string"
            ? `must be a list, not a string: write [${issue.input}]`
            : "must be a list of approvers",
    })
    .min(1, { error: "must name at least one approver" })
    .max(MAX_APPROVERS_PER_RULE, {
      error: `must name at most ${MAX_APPROVERS_PER_RULE} approvers; use a group for more`,
    }),
  count: z
    .number({ error: "must be a whole number" })
    .int({ error: "must be a whole number" })
    .min(1, { error: "must be at least 1" })
    .default(1),
});

const limit = z
  .number({ error: "must be a number" })
  .min(0, { error: "must be 0 or more" })
  .refine(Number.isFinite, { error: "must be a finite number" });

const comparison = z
  .strictObject({
    metric: z.string({ error: "must be a metric name" }).regex(METRIC_NAME, {
      error: "is not a valid metric name",
    }),
    max_drop: limit.optional(),
    max_rise: limit.optional(),
  })
  .refine((c) => (c.max_drop === undefined) !== (c.max_rise === undefined), {
    error: "must set exactly one of max_drop or max_rise",
  });

const policySchema = z.strictObject({
  required_metrics: z
    .array(z.string().regex(METRIC_NAME, { error: "is not a valid metric name" }), {
      error: "must be a list of metric names",
    })
    .max(MAX_CONDITIONS, { error: `must name at most ${MAX_CONDITIONS} metrics` })
    .default([]),
  auto_approve: conditionList.default([]),
  auto_reject: conditionList.default([]),
  compare_to_deployed: z
    .array(comparison, { error: "must be a list of {metric, max_drop or max_rise}" })
    .max(MAX_CONDITIONS, { error: `must hold at most ${MAX_CONDITIONS} comparisons` })
    .default([]),
  approvals: z
    .array(approvalRule, { error: "must be a list of approval rules" })
    .min(1, { error: "must hold at least one rule" })
    .max(MAX_APPROVAL_RULES, { error: `must hold at most ${MAX_APPROVAL_RULES} rules` })
    .refine(
      (rules) =>
        new Set(rules.map((r) => r.name).filter(Boolean)).size ===
        rules.filter((r) => r.name).length,
      { error: "rule names must be different from each other" },
    )
    .default([{ approvers: ["role:reviewer"], count: 1 }]),
  allow_self_approval: z.boolean({ error: "must be true or false" }).default(false),
  expires_after: z
    .string({ error: 'must be a duration such as "72h", "3d" or "30m"' })
    .regex(DURATION, { error: 'must be a duration such as "72h", "3d" or "30m"' })
    // "0h" would otherwise mean "never expires" downstream.
    .refine((d) => !DURATION.test(d) || Number(DURATION.exec(d)?.[1]) > 0, {
      error: "must be longer than 0",
    })
    .optional(),
  on_reject: z
    .enum(ON_REJECT, { error: `must be one of ${ON_REJECT.join(", ")}` })
    .default("fail_pipeline"),
});

export function parsePolicy(source: string): ParseResult {
  const lineCounter = new LineCounter();
  const doc = parseDocument(source, { lineCounter, prettyErrors: false });
  if (doc.errors.length > 0) {
    return {
      ok: false,
      errors: doc.errors.map((e) => ({
        field: "(yaml)",
        rule: "yaml_syntax",
        message: e.message.split("\n")[0] ?? "invalid YAML",
        // linePos is only filled in with prettyErrors; count from the offset.
        line: e.linePos?.[0]?.line ?? (e.pos ? lineCounter.linePos(e.pos[0]).line : null),
      })),
    };
  }
  // The line of a mapping's key itself (its value may start on the next line).
  const keyLineOf = (path: PropertyKey[], key: string): number | null => {
    const parent = path.length === 0 ? doc.contents : doc.getIn(path, true);
    if (isMap(parent)) {
      const pair = parent.items.find((item) => isScalar(item.key) && item.key.value === key);
      const start = isScalar(pair?.key) ? pair.key.range?.[0] : undefined;
      if (start !== undefined) return lineCounter.linePos(start).line;
    }
    return lineOf([...path, key]);
  };
  const lineOf = (path: PropertyKey[]): number | null => {
    for (let n = path.length; n >= 0; n--) {
      const node = doc.getIn(path.slice(0, n), true) as { range?: [number] } | undefined;
      const start = node?.range?.[0];
      if (start !== undefined) return lineCounter.linePos(start).line;
    }
    return null;
  };
  let data: unknown;
  try {
    data = doc.contents === null ? {} : doc.toJS({ maxAliasCount: 100 });
  } catch (error) {
    const why = error instanceof Error ? error.message : "cannot be read";
    return {
      ok: false,
      errors: [{ field: "(yaml)", rule: "yaml_syntax", message: `(yaml): ${why}`, line: null }],
    };
  }
  if (!isMap(doc.contents) && doc.contents !== null) {
    return {
      ok: false,
      errors: [
        { field: "(policy)", rule: "type", message: "a policy must be a mapping of keys", line: 1 },
      ],
    };
  }
  const parsed = policySchema.safeParse(data);
  if (!parsed.success) {
    return {
      ok: false,
      errors: parsed.error.issues.flatMap((issue): PolicyError[] => {
        if (issue.code === "unrecognized_keys") {
          return issue.keys.map((key) => {
            const field = [...issue.path, key].map(String).join(".");
            return {
              field,
              rule: "unknown_key",
              message: `${field}: unknown key`,
              line: keyLineOf(issue.path, key),
            };
          });
        }
        const field = issue.path.map(String).join(".") || "(policy)";
        const params = issue.code === "custom" ? (issue.params as { rule?: string }) : undefined;
        return [
          {
            field,
            rule: params?.rule ?? issue.code,
            message: `${field}: ${issue.message}`,
            line: lineOf(issue.path as PropertyKey[]),
          },
        ];
      }),
    };
  }
  const p = parsed.data;
  // Every condition passed the schema's check, so each one parses.
  const conditions = (texts: string[]): Condition[] =>
    texts.map((text) => parseCondition(text)).filter((c): c is Condition => !("error" in c));
  const autoApprove = conditions(p.auto_approve);
  const autoReject = conditions(p.auto_reject);
  const match = p.expires_after ? DURATION.exec(p.expires_after) : null;
  return {
    ok: true,
    policy: {
      requiredMetrics: p.required_metrics,
      autoApprove,
      autoReject,
      compareToDeployed: p.compare_to_deployed.map((c) =>
        c.max_drop !== undefined
          ? {
              metric: c.metric,
              direction: "drop" as const,
              limit: c.max_drop,
              text: `${c.metric} drops at most ${c.max_drop} below the deployed version`,
            }
          : {
              metric: c.metric,
              direction: "rise" as const,
              limit: c.max_rise ?? 0,
              text: `${c.metric} rises at most ${c.max_rise} above the deployed version`,
            },
      ),
      approvals: p.approvals.map((r, i) => ({
        name: r.name ?? `rule ${i + 1}`,
        approvers: r.approvers,
        count: r.count,
      })),
      allowSelfApproval: p.allow_self_approval,
      expiresAfterMs: match ? Number(match[1]) * UNIT_MS[match[2] as keyof typeof UNIT_MS] : null,
      onReject: p.on_reject,
    },
    lineOf,
  };
}
