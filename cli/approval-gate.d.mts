// Types of what approval-gate.mjs exports, for the TypeScript tests that
// import it. The CLI itself stays plain JavaScript so `node` runs it as is.

export declare const CLI_VERSION: string;
export declare const EXIT: Readonly<{ OK: 0; REJECTED: 1; NOT_APPROVED: 2; ERROR: 3 }>;
export declare const FINAL_STATUSES: ReadonlySet<string>;
export declare const HELP: string;

export declare class UsageError extends Error {}
export declare class ConnectionError extends Error {}
export declare class UnexpectedAnswer extends Error {}
export declare class ApiError extends Error {
  constructor(status: number, problem: Problem, method: string, path: string);
  readonly status: number;
  readonly problem: Problem;
  readonly method: string;
  readonly path: string;
}

export type Problem = {
  status?: number;
  code?: string;
  title?: string;
  detail?: string;
  errors?: { field?: string; rule?: string; message?: string }[];
  [key: string]: unknown;
};

export type Metric = { name: string; value: number; step?: number | null; split?: string | null };

export type GateStatus = {
  status: string;
  final?: boolean;
  reason?: string | null;
  approved_by?: string[];
  missing_metrics?: string[];
  required_approvals?: { rule?: string; count: number; approvals: number }[];
  decisions?: {
    by: string;
    automatic?: boolean;
    decision: string;
    comment?: string | null;
    at: string;
  }[];
  on_reject?: string;
  review_url?: string;
  [key: string]: unknown;
};

type Connection = { baseUrl: string; token: string; json: boolean; idempotencyKey: string };
type Target = { model: string; version: number; environment: string };

export type ParsedCommand =
  | { command: "help"; text: string }
  | (Connection & {
      command: "register";
      model: string;
      body: {
        source_uri?: string;
        run_id?: string;
        commit?: string;
        pipeline_run_url?: string;
        description?: string;
        params: Record<string, string | number | boolean>;
        tags: Record<string, string>;
        metrics: Metric[];
      };
    })
  | (Connection & Target & { command: "request"; note?: string })
  | (Connection & Target & { command: "status" | "deployed" })
  | (Connection & Target & { command: "wait"; timeoutSeconds: number; pollSeconds: number });

export declare function parseCli(
  argv: string[],
  env?: Record<string, string | undefined>,
  readFile?: (path: string) => string,
): ParsedCommand;
export declare function parseMetricFlag(text: string): Metric;
export declare function parseMetricsJson(text: string, source?: string): Metric[];
export declare function parseKeyValues(
  items: string[] | undefined,
  flag: string,
  options?: { typed?: boolean },
): Record<string, string | number | boolean>;
export declare function parseDuration(text: string, flag: string): number;
export declare function ciDefaults(env: Record<string, string | undefined>): {
  commit?: string;
  pipelineRunUrl?: string;
};
export declare function describeProblem(status: number, problem: unknown): string;
export declare function describeStatus(gate: GateStatus): string;
export declare function rejectionDetails(gate: GateStatus): string[];
export declare function exitCodeForStatus(gate: GateStatus): 0 | 1 | 2;

export type MainIo = {
  env?: Record<string, string | undefined>;
  out?: (line: string) => void;
  err?: (line: string) => void;
  readFile?: (path: string) => string;
  fetch?: typeof fetch;
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
  retryDelayMs?: number;
};
export declare function main(argv: string[], io?: MainIo): Promise<number>;
