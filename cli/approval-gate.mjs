#!/usr/bin/env node
// The approval gate from a pipeline: register a version, request approval,
// wait for the decision, record the deployment. One file, Node 20 or newer,
// no dependencies, so a CI job can run it from a checkout or a copied file:
//
//   node cli/approval-gate.mjs wait --model fraud-detector --version 3 --timeout 3600
//
// Exit codes: 0 approved / done, 1 rejected (or a deployment the gate
// refuses), 2 expired, cancelled, superseded or timed out, 3 usage,
// connection or API error. Run with --help for the commands.
import { randomUUID } from "node:crypto";
import { readFileSync, realpathSync } from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { parseArgs } from "node:util";

export const CLI_VERSION = "1.0.0";

export const EXIT = Object.freeze({ OK: 0, REJECTED: 1, NOT_APPROVED: 2, ERROR: 3 });

export const FINAL_STATUSES = new Set([
  "approved",
  "rejected",
  "expired",
  "cancelled",
  "superseded",
]);

const DEFAULT_URL = "http://localhost:3000";
const MAX_WAIT_SECONDS = 60; // the server's limit on ?wait=
const REQUEST_TIMEOUT_MS = 30_000; // on top of the long-poll wait

// Bounded retry for the long poll only. The project prefers a library over
// hand-rolled retries, but this file has no dependencies by design (a CI job
// runs it with a bare `node`), and an hour-long wait should survive a server
// restart or a proxy's 502. Persistent failures still end in exit 3. POSTs
// are not retried: a server without Idempotency-Key support would run them
// twice.
const RETRY_ATTEMPTS = 4;
const RETRY_DELAY_MS = 3000;
const RETRYABLE_STATUSES = new Set([502, 503, 504]);

export class UsageError extends Error {}

/** The server answered with an error status; `problem` is its problem+json body. */
export class ApiError extends Error {
  constructor(status, problem, method, path) {
    super(describeProblem(status, problem));
    this.status = status;
    this.problem = problem;
    this.method = method;
    this.path = path;
  }
}

/** The server could not be reached or did not answer in time. */
export class ConnectionError extends Error {}

/** A 2xx answer that is not the JSON object expected (a proxy's HTML page, say). */
export class UnexpectedAnswer extends Error {}

// ---------------------------------------------------------------------------
// Command line
// ---------------------------------------------------------------------------

const COMMON_OPTIONS = {
  url: { type: "string" },
  token: { type: "string" },
  json: { type: "boolean" },
  help: { type: "boolean", short: "h" },
};

const TARGET_OPTIONS = {
  model: { type: "string" },
  version: { type: "string" },
  environment: { type: "string" },
};

const COMMON_HELP = `Common options:
  --url URL               gate base URL (env APPROVAL_GATE_URL, default ${DEFAULT_URL})
  --token TOKEN           API token; prefer env APPROVAL_GATE_TOKEN, which stays out of logs
  --json                  print only the server's final JSON answer on stdout
  -h, --help              show this help`;

const TARGET_HELP = `  --model NAME            registered model name
  --version N             version number
  --environment ENV       target environment (default production)`;

const COMMANDS = {
  register: {
    summary: "register a version with its metrics; prints the version number",
    options: {
      model: { type: "string" },
      "metrics-file": { type: "string" },
      metric: { type: "string", multiple: true },
      param: { type: "string", multiple: true },
      tag: { type: "string", multiple: true },
      "source-uri": { type: "string" },
      "run-id": { type: "string" },
      commit: { type: "string" },
      "pipeline-run-url": { type: "string" },
      description: { type: "string" },
      "idempotency-key": { type: "string" },
    },
    help: `Usage: approval-gate register --model NAME [options]

Registers a new version of NAME (the model is created on first use) and
prints its number alone on stdout, so VERSION=$(approval-gate register ...)
works.

  --model NAME            registered model name
  --metrics-file FILE     JSON: [{"name", "value", "step"?, "split"?}, ...],
                          {"metrics": [...]} or {"accuracy": 0.93, ...}
  --metric NAME=VALUE[@SPLIT]
                          one metric, e.g. --metric auc=0.97@test (repeatable)
  --param KEY=VALUE       a parameter; numbers and true/false are sent as such
                          (repeatable)
  --tag KEY=VALUE         a tag, always a string (repeatable)
  --source-uri URI        where the artifact lives
  --run-id ID             the training run
  --commit SHA            default $GITHUB_SHA or $CI_COMMIT_SHA
  --pipeline-run-url URL  default the GitLab or GitHub Actions run
  --description TEXT
  --idempotency-key KEY   default a new random key per invocation`,
  },
  request: {
    summary: "ask for approval of a version for an environment",
    options: {
      ...TARGET_OPTIONS,
      note: { type: "string" },
      "idempotency-key": { type: "string" },
    },
    help: `Usage: approval-gate request --model NAME --version N [options]

Asks the gate whether version N may go to the environment and prints where
the request stands. An open or approved request is answered again rather
than duplicated. Exits 0 whatever the status; \`wait\` gives the verdict.

${TARGET_HELP}
  --note TEXT             shown to reviewers
  --idempotency-key KEY   default a new random key per invocation`,
  },
  status: {
    summary: "print where a version's approval request stands",
    options: { ...TARGET_OPTIONS },
    help: `Usage: approval-gate status --model NAME --version N [options]

Prints the gate's answer once, without waiting. Exits 0 whatever the status
(3 if there is no request or the gate cannot be reached).

${TARGET_HELP}`,
  },
  wait: {
    summary: "block until the request is decided or the timeout passes",
    options: {
      ...TARGET_OPTIONS,
      timeout: { type: "string" },
      poll: { type: "string" },
    },
    help: `Usage: approval-gate wait --model NAME --version N --timeout SECONDS [options]

Long-polls the gate and prints a line each time the request changes.

${TARGET_HELP}
  --timeout DURATION      give up after this long: seconds, or 90s, 30m, 2h
  --poll DURATION         long-poll chunk, at most 60s are asked for (default 30)

Exit codes: 0 approved, 1 rejected (the reason, the reviewers' comments and
on_reject are printed), 2 expired, cancelled, superseded or timed out,
3 usage, connection or API error. Connection failures and 502/503/504
answers are retried ${RETRY_ATTEMPTS - 1} times, ${RETRY_DELAY_MS / 1000}s apart.`,
  },
  deployed: {
    summary: "record that an approved version went to an environment",
    options: { ...TARGET_OPTIONS, "idempotency-key": { type: "string" } },
    help: `Usage: approval-gate deployed --model NAME --version N [options]

Records the deployment. Exits 1 when the gate refuses it (409: the version's
request for that environment is not approved), 3 on other errors.

${TARGET_HELP}
  --idempotency-key KEY   default a new random key per invocation`,
  },
};

export const HELP = `Usage: approval-gate <command> [options]   (Node >=20, no dependencies)

Commands:
${Object.entries(COMMANDS)
  .map(([name, c]) => `  ${name.padEnd(10)} ${c.summary}`)
  .join("\n")}

Exit codes: 0 approved or done, 1 rejected (or deployment refused),
2 expired, cancelled, superseded or timed out, 3 usage, connection or API error.

${COMMON_HELP}

Run approval-gate <command> --help for a command's options.`;

const DECIMAL = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
// Stricter for params: "0123" or "1e3" are more likely identifiers than numbers.
const PARAM_NUMBER = /^-?(?:0|[1-9]\d*)(?:\.\d+)?$/;
const VERSION = /^[1-9][0-9]{0,8}$/;

/** "value" of a metric or an error naming the flag; refuses NaN, Infinity and hex. */
function finiteNumber(text, what) {
  const value = Number(text);
  if (!DECIMAL.test(text.trim()) || !Number.isFinite(value)) {
    throw new UsageError(`${what}: "${text}" is not a finite decimal number`);
  }
  return value;
}

/** `--metric name=value[@split]` as an API metric. */
export function parseMetricFlag(text) {
  const eq = text.indexOf("=");
  if (eq <= 0) throw new UsageError(`--metric ${text}: write NAME=VALUE or NAME=VALUE@SPLIT`);
  const name = text.slice(0, eq).trim();
  const rest = text.slice(eq + 1);
  const at = rest.indexOf("@");
  const valueText = at === -1 ? rest : rest.slice(0, at);
  const split = at === -1 ? undefined : rest.slice(at + 1).trim();
  if (split === "") throw new UsageError(`--metric ${text}: the split after @ is empty`);
  const metric = { name, value: finiteNumber(valueText, `--metric ${name}`) };
  return split === undefined ? metric : { ...metric, split };
}

function isObject(x) {
  return typeof x === "object" && x !== null && !Array.isArray(x);
}

/**
 * The metrics of a JSON document: a list of {name, value, step?, split?},
 * the API's {"metrics": [...]}, or a flat {"name": value} object. Shapes are
 * checked here so the message names the file; the server judges the rest.
 */
export function parseMetricsJson(text, source = "metrics file") {
  let doc;
  try {
    doc = JSON.parse(text);
  } catch (error) {
    throw new UsageError(`${source}: not valid JSON (${error.message})`);
  }
  if (isObject(doc) && Array.isArray(doc.metrics)) doc = doc.metrics;
  if (Array.isArray(doc)) {
    return doc.map((entry, i) => {
      if (!isObject(entry) || typeof entry.name !== "string") {
        throw new UsageError(`${source}: entry ${i} must be an object with a string "name"`);
      }
      if (typeof entry.value !== "number" || !Number.isFinite(entry.value)) {
        throw new UsageError(`${source}: entry ${i} (${entry.name}): "value" must be a number`);
      }
      return entry;
    });
  }
  if (isObject(doc)) {
    return Object.entries(doc).map(([name, value]) => {
      if (typeof value !== "number" || !Number.isFinite(value)) {
        throw new UsageError(`${source}: "${name}" must be a number, not ${JSON.stringify(value)}`);
      }
      return { name, value };
    });
  }
  throw new UsageError(`${source}: expected a list of metrics or an object of name: value`);
}

/** `KEY=VALUE` pairs as an object; with `typed`, numbers and booleans are converted. */
export function parseKeyValues(items, flag, { typed = false } = {}) {
  const result = {};
  for (const item of items ?? []) {
    const eq = item.indexOf("=");
    if (eq <= 0) throw new UsageError(`${flag} ${item}: write KEY=VALUE`);
    const key = item.slice(0, eq).trim();
    const text = item.slice(eq + 1);
    let value = text;
    if (typed && PARAM_NUMBER.test(text)) value = Number(text);
    else if (typed && (text === "true" || text === "false")) value = text === "true";
    result[key] = value;
  }
  return result;
}

/** Seconds from "90", "90s", "1.5m" or "2h". */
export function parseDuration(text, flag) {
  const match = /^(\d+(?:\.\d+)?)(s|m|h)?$/.exec(text.trim());
  if (!match) throw new UsageError(`${flag} ${text}: write seconds, or a number with s, m or h`);
  const factor = { s: 1, m: 60, h: 3600 }[match[2] ?? "s"];
  return Number(match[1]) * factor;
}

/** Commit and run link that CI systems already expose, used as defaults. */
export function ciDefaults(env) {
  const commit = env.GITHUB_SHA || env.CI_COMMIT_SHA || undefined;
  let runUrl = env.CI_PIPELINE_URL || undefined;
  if (!runUrl && env.GITHUB_SERVER_URL && env.GITHUB_REPOSITORY && env.GITHUB_RUN_ID) {
    runUrl = `${env.GITHUB_SERVER_URL}/${env.GITHUB_REPOSITORY}/actions/runs/${env.GITHUB_RUN_ID}`;
  }
  return { commit, pipelineRunUrl: runUrl };
}

function required(values, name) {
  const value = values[name];
  if (value === undefined || value === "") throw new UsageError(`--${name} is required`);
  return value;
}

function targetOf(values) {
  const version = required(values, "version");
  if (!VERSION.test(version)) {
    throw new UsageError(`--version ${version}: must be a version number such as 1, 2, 3`);
  }
  return {
    model: required(values, "model"),
    version: Number(version),
    environment: values.environment || "production",
  };
}

function registerBodyOf(values, env, readFile) {
  const metrics = [];
  const file = values["metrics-file"];
  if (file !== undefined) {
    let text;
    try {
      text = readFile(file);
    } catch (error) {
      const why = error.code === "ENOENT" ? "no such file" : error.message;
      throw new UsageError(`--metrics-file ${file}: ${why}`);
    }
    metrics.push(...parseMetricsJson(text, file));
  }
  metrics.push(...(values.metric ?? []).map(parseMetricFlag));
  const ci = ciDefaults(env);
  const body = {
    source_uri: values["source-uri"],
    run_id: values["run-id"],
    commit: values.commit ?? ci.commit,
    pipeline_run_url: values["pipeline-run-url"] ?? ci.pipelineRunUrl,
    description: values.description,
    params: parseKeyValues(values.param, "--param", { typed: true }),
    tags: parseKeyValues(values.tag, "--tag"),
    metrics,
  };
  // JSON.stringify drops the undefined fields: optional means "not sent".
  return body;
}

function connectionOf(values, env) {
  const url = values.url ?? env.APPROVAL_GATE_URL ?? DEFAULT_URL;
  let parsed;
  try {
    parsed = new URL(url);
  } catch {
    throw new UsageError(`--url ${url}: not a URL such as ${DEFAULT_URL}`);
  }
  if (parsed.protocol !== "http:" && parsed.protocol !== "https:") {
    throw new UsageError(`--url ${url}: must start with http:// or https://`);
  }
  const token = values.token ?? env.APPROVAL_GATE_TOKEN;
  if (!token) {
    throw new UsageError("no API token: set APPROVAL_GATE_TOKEN (or pass --token)");
  }
  return { baseUrl: url.replace(/\/+$/, ""), token };
}

/**
 * Parses argv (without node and the script) into a command and its inputs,
 * or `{ command: "help", text }`. Throws UsageError on anything wrong.
 */
export function parseCli(argv, env = {}, readFile = (f) => readFileSync(f, "utf8")) {
  const [command, ...rest] = argv;
  if (command === undefined) {
    throw new UsageError(`no command given; choose from ${Object.keys(COMMANDS).join(", ")}`);
  }
  if (command === "help" || command === "--help" || command === "-h") {
    return { command: "help", text: HELP };
  }
  const spec = COMMANDS[command];
  if (!spec) {
    throw new UsageError(
      `unknown command "${command}"; choose from ${Object.keys(COMMANDS).join(", ")}`,
    );
  }
  let values;
  try {
    ({ values } = parseArgs({ args: rest, options: { ...COMMON_OPTIONS, ...spec.options } }));
  } catch (error) {
    throw new UsageError(`${command}: ${error.message}`);
  }
  if (values.help) return { command: "help", text: `${spec.help}\n\n${COMMON_HELP}` };

  const base = {
    command,
    json: values.json === true,
    idempotencyKey: values["idempotency-key"] ?? randomUUID(),
  };
  if (command === "register") {
    const model = required(values, "model");
    const body = registerBodyOf(values, env, readFile);
    return { ...base, ...connectionOf(values, env), model, body };
  }
  const target = targetOf(values);
  const parsed = { ...base, ...connectionOf(values, env), ...target };
  if (command === "request") return { ...parsed, note: values.note };
  if (command === "wait") {
    const timeout = parseDuration(required(values, "timeout"), "--timeout");
    const poll = parseDuration(values.poll ?? "30", "--poll");
    if (poll < 1) throw new UsageError("--poll must be at least 1 second");
    return { ...parsed, timeoutSeconds: timeout, pollSeconds: poll };
  }
  return parsed;
}

// ---------------------------------------------------------------------------
// Talking to the gate
// ---------------------------------------------------------------------------

/** One line from a problem+json body: status, code, detail, then each field error. */
export function describeProblem(status, problem) {
  const p = isObject(problem) ? problem : {};
  const code = p.code ?? p.title ?? "";
  let text = `HTTP ${status}${code ? ` ${code}` : ""}${p.detail ? `: ${p.detail}` : ""}`;
  const messages = Array.isArray(p.errors)
    ? p.errors.map((e) => (isObject(e) ? (e.message ?? e.field) : String(e))).filter(Boolean)
    : [];
  // The detail usually repeats the first messages; list them only if it does not.
  for (const message of messages) {
    if (!String(p.detail ?? "").includes(message)) text += `\n  - ${message}`;
  }
  return text;
}

function describeNetworkError(error) {
  if (error?.name === "TimeoutError") return "no answer in time";
  const cause = error?.cause;
  const code = cause?.code ?? error?.code;
  const message = cause?.message ?? error?.message ?? String(error);
  return code && !message.includes(code) ? `${code} (${message})` : message;
}

/** Calls the API; resolves to {status, data} for 2xx JSON, else throws. */
async function callApi(ctx, method, path, { body, timeoutMs = REQUEST_TIMEOUT_MS } = {}) {
  const headers = {
    accept: "application/json, application/problem+json",
    authorization: `Bearer ${ctx.token}`,
    "user-agent": `approval-gate-cli/${CLI_VERSION}`,
  };
  if (method === "POST") {
    headers["content-type"] = "application/json";
    headers["idempotency-key"] = ctx.idempotencyKey;
  }
  let response;
  let text;
  try {
    response = await ctx.fetch(ctx.baseUrl + path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(timeoutMs),
    });
    text = await response.text();
  } catch (error) {
    throw new ConnectionError(
      `cannot reach the approval gate at ${ctx.baseUrl}: ${describeNetworkError(error)}`,
    );
  }
  let data;
  try {
    data = text ? JSON.parse(text) : undefined;
  } catch {
    data = undefined;
  }
  if (!response.ok) {
    const problem = isObject(data) ? data : { detail: text.trim().slice(0, 300) || undefined };
    throw new ApiError(response.status, problem, method, path);
  }
  if (!isObject(data)) {
    throw new UnexpectedAnswer(
      `${method} ${path}: the gate answered ${response.status} without a JSON object: ` +
        JSON.stringify(text.slice(0, 120)),
    );
  }
  return { status: response.status, data };
}

/** A long-poll GET that survives short outages; see RETRY_ATTEMPTS for why. */
async function getWithRetry(ctx, path, options) {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await callApi(ctx, "GET", path, options);
    } catch (error) {
      const transient =
        error instanceof ConnectionError ||
        (error instanceof ApiError && RETRYABLE_STATUSES.has(error.status));
      if (!transient || attempt >= RETRY_ATTEMPTS) throw error;
      const what = error instanceof ApiError ? `HTTP ${error.status}` : error.message;
      ctx.err(
        `gate unavailable (${what}); retry ${attempt}/${RETRY_ATTEMPTS - 1} ` +
          `in ${ctx.retryDelayMs / 1000}s`,
      );
      await ctx.sleep(ctx.retryDelayMs);
    }
  }
}

function versionPath(model, version, suffix = "") {
  return `/api/v1/models/${encodeURIComponent(model)}/versions/${version}${suffix}`;
}

// ---------------------------------------------------------------------------
// Readable output
// ---------------------------------------------------------------------------

function approvalsLeft(rules) {
  if (!Array.isArray(rules)) return 0;
  return rules.reduce(
    (left, r) => left + Math.max(0, Number(r?.count ?? 0) - Number(r?.approvals ?? 0)),
    0,
  );
}

/** "pending_review - waiting for 1 approval; review at URL" and the like. */
export function describeStatus(gate) {
  const status = gate.status ?? "unknown";
  const approvedBy = Array.isArray(gate.approved_by) ? gate.approved_by : [];
  const parts = [];
  if (status === "awaiting_metrics") {
    parts.push(`missing metrics: ${(gate.missing_metrics ?? []).join(", ") || "unknown"}`);
  } else if (status === "pending_review") {
    const left = approvalsLeft(gate.required_approvals);
    parts.push(
      left ? `waiting for ${left} approval${left === 1 ? "" : "s"}` : "waiting for review",
    );
  } else if (status === "approved") {
    parts.push(approvedBy.length ? `approved by ${approvedBy.join(", ")}` : "approved");
  }
  if (gate.reason && status !== "approved") parts.push(`reason: ${gate.reason}`);
  if (!isFinal(gate) && gate.review_url) parts.push(`review at ${gate.review_url}`);
  return parts.length ? `${status} - ${parts.join("; ")}` : status;
}

function isFinal(gate) {
  return gate.final === true || FINAL_STATUSES.has(gate.status);
}

function statusLine(target, gate) {
  const { model, version, environment } = target;
  return `${model} v${version} (${environment}): ${describeStatus(gate)}`;
}

/** The decisions with their comments and what the policy says to do. */
export function rejectionDetails(gate) {
  const lines = (gate.decisions ?? []).map((d) => {
    const who = d.automatic ? `${d.by} (automatic)` : d.by;
    const verb = d.decision === "reject" ? "rejected" : "approved";
    return `  ${who} ${verb} at ${d.at}: ${d.comment || "(no comment)"}`;
  });
  lines.push(`  on_reject: ${gate.on_reject ?? "fail_pipeline"}`);
  return lines;
}

/** What `wait` exits with for a gate status: fail closed on anything unknown. */
export function exitCodeForStatus(gate) {
  if (gate.status === "approved") return EXIT.OK;
  if (gate.status === "rejected") return EXIT.REJECTED;
  return EXIT.NOT_APPROVED;
}

function changeKey(gate) {
  return JSON.stringify([
    gate.status,
    gate.approved_by ?? [],
    gate.missing_metrics ?? [],
    (gate.decisions ?? []).length,
  ]);
}

// ---------------------------------------------------------------------------
// Commands
// ---------------------------------------------------------------------------

async function register(ctx, cmd) {
  const path = `/api/v1/models/${encodeURIComponent(cmd.model)}/versions`;
  const { status, data } = await callApi(ctx, "POST", path, { body: cmd.body });
  if (!Number.isInteger(data.version)) {
    throw new UnexpectedAnswer(`the gate answered ${status} without a version number`);
  }
  if (cmd.json) return ctx.result(data, EXIT.OK);

  // The number alone on stdout, so VERSION=$(... register ...) just works.
  const metrics = data.metrics ?? cmd.body.metrics.length;
  const link = data.url ? `: ${data.url}` : "";
  ctx.err(`registered ${data.model ?? cmd.model} v${data.version} with ${metrics} metrics${link}`);
  ctx.out(String(data.version));
  return EXIT.OK;
}

async function request(ctx, cmd) {
  const path = versionPath(cmd.model, cmd.version, "/approval");
  const body = { environment: cmd.environment, note: cmd.note };
  const { status, data } = await callApi(ctx, "POST", path, { body });
  if (cmd.json) return ctx.result(data, EXIT.OK);

  const how = status === 201 ? "requested approval" : "already requested";
  ctx.out(`${how}: ${statusLine(cmd, data)}`);
  return EXIT.OK;
}

function approvalPath(cmd, waitSeconds) {
  const query = new URLSearchParams({ environment: cmd.environment });
  if (waitSeconds !== undefined) query.set("wait", String(waitSeconds));
  return versionPath(cmd.model, cmd.version, `/approval?${query}`);
}

async function status(ctx, cmd) {
  const { data } = await callApi(ctx, "GET", approvalPath(cmd));
  if (cmd.json) return ctx.result(data, EXIT.OK);

  ctx.out(statusLine(cmd, data));
  return EXIT.OK;
}

async function wait(ctx, cmd) {
  // With --json, stdout holds the final answer only; progress goes to stderr.
  const say = cmd.json ? ctx.err : ctx.out;
  const finish = (gate, code) => (cmd.json ? ctx.result(gate, code) : code);
  const deadline = ctx.now() + cmd.timeoutSeconds * 1000;
  let lastKey;
  // The first look does not wait, so a CI log shows where the request stands
  // at once instead of after the first long poll.
  let first = true;
  for (;;) {
    const remaining = Math.max(0, deadline - ctx.now());
    const waitSeconds = first
      ? 0
      : Math.floor(Math.min(MAX_WAIT_SECONDS, cmd.pollSeconds, Math.ceil(remaining / 1000)));
    first = false;
    const timeoutMs = waitSeconds * 1000 + REQUEST_TIMEOUT_MS;
    const { data: gate } = await getWithRetry(ctx, approvalPath(cmd, waitSeconds), { timeoutMs });

    if (changeKey(gate) !== lastKey) {
      lastKey = changeKey(gate);
      say(statusLine(cmd, gate));
    }
    if (isFinal(gate)) {
      if (gate.status === "rejected") rejectionDetails(gate).forEach((line) => say(line));
      return finish(gate, exitCodeForStatus(gate));
    }
    if (ctx.now() >= deadline) {
      const still = `${cmd.model} v${cmd.version} is still ${gate.status}`;
      say(`gave up after ${cmd.timeoutSeconds}s (--timeout): ${still}`);
      return finish(gate, EXIT.NOT_APPROVED);
    }
  }
}

async function deployed(ctx, cmd) {
  const path = versionPath(cmd.model, cmd.version, "/deployments");
  let answer;
  try {
    answer = await callApi(ctx, "POST", path, { body: { environment: cmd.environment } });
  } catch (error) {
    if (!(error instanceof ApiError) || error.status !== 409) throw error;
    ctx.err(`not deployed: ${error.problem.detail ?? error.message}`);
    return cmd.json ? ctx.result(error.problem, EXIT.REJECTED) : EXIT.REJECTED;
  }
  const { data } = answer;
  if (cmd.json) return ctx.result(data, EXIT.OK);
  const { model, version, environment } = cmd;
  const id = data.deployment_id === undefined ? "" : ` ${data.deployment_id}`;
  ctx.out(
    data.already_current
      ? `${model} v${version} is already the current deployment in ${environment}`
      : `recorded deployment${id}: ${model} v${version} to ${environment}`,
  );
  return EXIT.OK;
}

const HANDLERS = { register, request, status, wait, deployed };

/** How to call this file again from where the user stands, for hints. */
function selfPath() {
  const self = fileURLToPath(import.meta.url);
  const relative = path.relative(process.cwd(), self);
  return relative.startsWith("..") ? self : relative;
}

/**
 * Runs one command and resolves to its exit code. `io` replaces the process
 * (argv aside) for tests: env, out/err line writers, fetch, sleep, now.
 */
export async function main(argv, io = {}) {
  const env = io.env ?? process.env;
  const out = io.out ?? ((line) => process.stdout.write(`${line}\n`));
  const err = io.err ?? ((line) => process.stderr.write(`${line}\n`));
  let cmd;
  try {
    cmd = parseCli(argv, env, io.readFile);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    const hint = argv[0] && Object.hasOwn(HANDLERS, argv[0]) ? ` ${argv[0]}` : "";
    err(`approval-gate: ${error.message}`);
    err(`run "node ${selfPath()}${hint} --help" for the options`);
    return EXIT.ERROR;
  }
  if (cmd.command === "help") {
    out(cmd.text);
    return EXIT.OK;
  }
  const ctx = {
    baseUrl: cmd.baseUrl,
    token: cmd.token,
    idempotencyKey: cmd.idempotencyKey,
    fetch: io.fetch ?? globalThis.fetch,
    sleep: io.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms))),
    now: io.now ?? (() => performance.now()),
    retryDelayMs: io.retryDelayMs ?? RETRY_DELAY_MS,
    out,
    err,
    result(data, code) {
      out(JSON.stringify(data, null, 2));
      return code;
    },
  };
  try {
    return await HANDLERS[cmd.command](ctx, cmd);
  } catch (error) {
    if (error instanceof ApiError) {
      err(`approval-gate: ${error.method} ${error.path} failed: ${error.message}`);
      if (cmd.json) out(JSON.stringify(error.problem, null, 2));
      return EXIT.ERROR;
    }
    if (error instanceof ConnectionError || error instanceof UnexpectedAnswer) {
      err(`approval-gate: ${error.message}`);
      return EXIT.ERROR;
    }
    throw error;
  }
}

function invokedDirectly() {
  if (!process.argv[1]) return false;
  try {
    return import.meta.url === pathToFileURL(realpathSync(process.argv[1])).href;
  } catch {
    return false;
  }
}

if (invokedDirectly()) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (error) => {
      process.stderr.write(`approval-gate: unexpected failure: ${error?.stack ?? error}\n`);
      process.exitCode = EXIT.ERROR;
    },
  );
}
