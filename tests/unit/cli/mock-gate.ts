// A tiny stand-in for the gate's HTTP API, for the CLI's exit-code tests.
// It answers from a script and records what the CLI sent; it is not the
// real server (tests/e2e/cli.spec.ts runs the CLI against that).
import { spawn } from "node:child_process";
import http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";

export const TOKEN = "mag_test-token-never-printed";
export const CLI = path.resolve("cli/approval-gate.mjs");

export type Answer = { status: number; body: unknown; problem?: boolean };
export type Seen = {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: http.IncomingHttpHeaders;
  body: unknown;
};
type Route = (seen: Seen) => Answer;

export function gate(status: string, extra: Record<string, unknown> = {}) {
  const final = ["approved", "rejected", "expired", "cancelled", "superseded"].includes(status);
  return {
    request_id: 1,
    model: "fraud-detector",
    version: 3,
    environment: "production",
    status,
    final,
    reason: null,
    approved_by: [],
    missing_metrics: [],
    required_approvals: [
      { rule: "ml-review", approvers: ["role:reviewer"], count: 1, approvals: 0 },
    ],
    decisions: [],
    on_reject: "fail_pipeline",
    review_url: "http://gate.test/models/fraud-detector/versions/3",
    ...extra,
  };
}

export function problem(status: number, code: string, detail: string, errors?: unknown[]) {
  return { status, problem: true, body: { status, code, title: code, detail, errors } };
}

/** Answers GET approval calls from `statuses` in turn (the last repeats). */
export function approvalScript(statuses: Answer[]): Route {
  let i = 0;
  return () => {
    const answer = statuses[Math.min(i, statuses.length - 1)]!;
    i += 1;
    return answer;
  };
}

export async function startMockGate(route: Route) {
  const seen: Seen[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const url = new URL(req.url ?? "/", "http://mock");
      const text = Buffer.concat(chunks).toString("utf8");
      const entry: Seen = {
        method: req.method ?? "",
        path: url.pathname,
        query: url.searchParams,
        headers: req.headers,
        body: text ? JSON.parse(text) : undefined,
      };
      seen.push(entry);
      const answer =
        req.headers.authorization === `Bearer ${TOKEN}`
          ? route(entry)
          : problem(401, "unauthorized:credentials", "Send a valid bearer token.");
      // Like the real long poll, hold an open answer a little while.
      const body = answer.body as { final?: boolean } | undefined;
      const hold = url.searchParams.has("wait") && body?.final === false ? 150 : 0;
      setTimeout(() => {
        res.writeHead(answer.status, {
          "content-type": answer.problem ? "application/problem+json" : "application/json",
        });
        res.end(JSON.stringify(answer.body));
      }, hold);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    seen,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A port nothing listens on: opened, then closed again. */
export async function closedPort(): Promise<number> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

export type CliRun = { code: number | null; stdout: string; stderr: string };

/** Runs the CLI as a pipeline would: a child `node` process. */
export function runCli(args: string[], env: Record<string, string | undefined> = {}) {
  return new Promise<CliRun>((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], {
      // Not process.env: CI variables would leak into the registered body.
      env: { NODE_ENV: "test", PATH: process.env.PATH, APPROVAL_GATE_TOKEN: TOKEN, ...env },
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (c: Buffer) => (stdout += c.toString()));
    child.stderr.on("data", (c: Buffer) => (stderr += c.toString()));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}
