// A condition compares one metric with a number: `accuracy > 0.90`.

export const OPERATORS = [">=", "<=", "==", "!=", ">", "<"] as const;
export type Operator = (typeof OPERATORS)[number];

export type Condition = { metric: string; op: Operator; value: number; text: string };

export type ConditionResult = Condition & {
  /** The value the check saw; null when the metric is missing or not finite. */
  actual: number | null;
  holds: boolean;
};

export const METRIC_NAME = /^[A-Za-z_][A-Za-z0-9_.\-/]{0,99}$/;
// Split on a known operator first, so "accuracy>=0.9" parses and "accuracy >0.9"
// is not misread as the operator ">0."; three words with some other middle
// word are an unknown operator; anything else is a syntax error.
const CONDITION = /^\s*(\S+?)\s*(>=|<=|==|!=|>|<)\s*(\S+)\s*$/;
const THREE_WORDS = /^\s*(\S+)\s+(\S+)\s+(\S+)\s*$/;

/** Parses `metric op number`; returns the rule broken as a message on failure. */
export function parseCondition(text: string): Condition | { error: string; rule: string } {
  const match = CONDITION.exec(text) ?? THREE_WORDS.exec(text);
  if (!match) {
    return {
      rule: "condition_syntax",
      error: `"${text}" is not a condition: write "<metric> <operator> <number>", e.g. "auc > 0.9"`,
    };
  }
  const [, metric = "", op = "", raw = ""] = match;
  if (!METRIC_NAME.test(metric)) {
    return { rule: "metric_name", error: `"${metric}" is not a valid metric name` };
  }
  if (!(OPERATORS as readonly string[]).includes(op)) {
    return {
      rule: "unknown_operator",
      error: `unknown operator "${op}" in "${text}"; use one of ${OPERATORS.join(" ")}`,
    };
  }
  const value = Number(raw);
  // Decimal only: "0x1" or "1_000" would be read as a number nobody meant.
  if (!/^-?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(raw) || !Number.isFinite(value)) {
    return { rule: "finite_number", error: `"${raw}" in "${text}" is not a finite number` };
  }
  return { metric, op: op as Operator, value, text: `${metric} ${op} ${raw}` };
}

/** A missing or non-finite value never satisfies a condition. */
export function checkCondition(condition: Condition, actual: number | undefined): ConditionResult {
  if (actual === undefined || !Number.isFinite(actual)) {
    return { ...condition, actual: null, holds: false };
  }
  return { ...condition, actual, holds: compare(actual, condition.op, condition.value) };
}

function compare(actual: number, op: Operator, threshold: number): boolean {
  switch (op) {
    case ">":
      return actual > threshold;
    case ">=":
      return actual >= threshold;
    case "<":
      return actual < threshold;
    case "<=":
      return actual <= threshold;
    case "==":
      return actual === threshold;
    case "!=":
      return actual !== threshold;
  }
}
