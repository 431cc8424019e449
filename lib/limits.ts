// Every size limit the gate enforces, in one place. docs/security.md lists
// them for people; the schemas in lib/gate/inputs.ts, the policy parser and
// the route handlers read them from here, so a refusal and the documentation
// always name the same number.

/** Bytes in one request body; the two metric routes get more room (below). */
export const MAX_BODY_BYTES = 1_000_000;
/** Bytes in a register or add-metrics body: 10,000 metrics of about 300 bytes fit. */
export const MAX_METRICS_BODY_BYTES = 4_000_000;

/** Metric values in one call (a register or an add-metrics call). */
export const MAX_METRICS_PER_CALL = 10_000;
/** Metric values one version may hold, counting every step and split of every series. */
export const MAX_METRICS_PER_VERSION = 200_000;
/** The highest step of a series (learning curves rarely pass a few thousand). */
export const MAX_METRIC_STEP = 10_000_000;

export const MAX_PARAMS = 500;
export const MAX_TAGS = 200;

/** Characters, per kind of string. */
export const MAX_LENGTH = {
  modelName: 100,
  metricName: 100,
  split: 40,
  paramKey: 100,
  paramValue: 2000,
  tagKey: 100,
  tagValue: 500,
  url: 2000,
  runId: 200,
  commit: 100,
  description: 5000,
  note: 5000,
  comment: 5000,
  policySource: 100_000,
  groupName: 40,
  email: 200,
  tokenName: 80,
} as const;

/** Policy shape: rules, approver entries per rule, and conditions per list. */
export const MAX_APPROVAL_RULES = 20;
export const MAX_APPROVERS_PER_RULE = 100;
export const MAX_CONDITIONS = 100;

export const MAX_WAIT_SECONDS = 60;
