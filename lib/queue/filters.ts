// The queue's filters live in the URL, so a filtered queue can be shared and
// the back button returns to it. Each parameter is checked on its own: a bad
// one is named in a message and ignored, the others still apply.
import { z } from "zod";
import { FINAL_STATUSES, REQUEST_STATUSES, type RequestStatus } from "@/lib/requests/status";

export const PAGE_SIZE = 25;

/**
 * Open statuses first (the work), then the final ones, so a reviewer can
 * look back at what was decided, expired or superseded.
 */
export const STATUS_CHOICES = ["open", ...REQUEST_STATUSES, "final", "all"] as const;
export type StatusChoice = (typeof STATUS_CHOICES)[number];

export function statusesOf(choice: StatusChoice): readonly RequestStatus[] {
  if (choice === "open") return ["awaiting_metrics", "pending_review"];
  if (choice === "final") return FINAL_STATUSES;
  if (choice === "all") return [];
  return [choice];
}

export const STATUS_LABELS: Record<StatusChoice, string> = {
  open: "Open (not yet decided)",
  awaiting_metrics: "Awaiting metrics",
  pending_review: "Pending review",
  approved: "Approved",
  rejected: "Rejected",
  expired: "Expired",
  cancelled: "Cancelled",
  superseded: "Superseded",
  final: "Any final status",
  all: "Any status",
};

export type Cursor = { createdAt: number; id: number; direction: "after" | "before" };

export type QueueFilters = {
  model: string | null;
  environment: string | null;
  status: StatusChoice;
  submitter: string | null;
  mine: boolean;
  sort: "oldest" | "newest";
  size: number;
  cursor: Cursor | null;
};

export const DEFAULT_FILTERS: QueueFilters = {
  model: null,
  environment: null,
  status: "open",
  submitter: null,
  mine: false,
  sort: "oldest",
  size: PAGE_SIZE,
  cursor: null,
};

// A cursor is opaque to people: base64url of [created_at ms, id].
const cursorKey = z.tuple([z.number().int().nonnegative(), z.number().int().positive()]);

export function encodeCursor(key: { createdAt: number; id: number }): string {
  return Buffer.from(JSON.stringify([key.createdAt, key.id])).toString("base64url");
}

function decodeCursor(text: string): { createdAt: number; id: number } | null {
  try {
    const parsed = cursorKey.safeParse(JSON.parse(Buffer.from(text, "base64url").toString()));
    return parsed.success ? { createdAt: parsed.data[0], id: parsed.data[1] } : null;
  } catch {
    return null;
  }
}

const searchText = (what: string) =>
  z
    .string()
    .trim()
    .max(100, { error: `${what} search is at most 100 characters` })
    .transform((s) => (s === "" ? null : s));

const PARAMS = {
  model: searchText("model name"),
  environment: z
    .string()
    .trim()
    .regex(/^[a-z][a-z0-9-]{0,39}$|^$/, {
      error: "must be an environment name such as production",
    })
    .transform((s) => (s === "" ? null : s)),
  status: z.enum(STATUS_CHOICES, {
    error: `must be one of ${STATUS_CHOICES.join(", ")}`,
  }),
  submitter: searchText("submitter"),
  mine: z.enum(["1", "0", "true", "false", ""], { error: "must be 1 or 0" }),
  sort: z.enum(["oldest", "newest"], { error: "must be oldest or newest" }),
  size: z.coerce
    .number({ error: "must be a whole number" })
    .int({ error: "must be a whole number" })
    .min(1, { error: "must be at least 1" })
    .max(100, { error: "must be at most 100" }),
};

type Params = Record<string, string | string[] | undefined>;

/** Reads the queue's search parameters; `problems` names each one that was ignored. */
export function parseQueueFilters(params: Params): { filters: QueueFilters; problems: string[] } {
  const filters: QueueFilters = { ...DEFAULT_FILTERS };
  const problems: string[] = [];
  const one = (name: string): string | undefined => {
    const value = params[name];
    if (Array.isArray(value)) {
      problems.push(`${name}: given ${value.length} times; the first value is used`);
      return value[0];
    }
    return value;
  };
  for (const name of Object.keys(PARAMS) as (keyof typeof PARAMS)[]) {
    const raw = one(name);
    if (raw === undefined) continue;
    const parsed = PARAMS[name].safeParse(raw);
    if (!parsed.success) {
      problems.push(`${name}: ${parsed.error.issues[0]?.message ?? "not valid"}`);
      continue;
    }
    const value = parsed.data;
    if (name === "mine") filters.mine = value === "1" || value === "true";
    else Object.assign(filters, { [name]: value });
  }
  const after = one("after");
  const before = one("before");
  if (after !== undefined && before !== undefined) {
    problems.push("after and before: give one page link, not both; showing the first page");
  } else if (after !== undefined || before !== undefined) {
    const key = decodeCursor(after ?? before ?? "");
    if (key) filters.cursor = { ...key, direction: after !== undefined ? "after" : "before" };
    else
      problems.push(
        `${after !== undefined ? "after" : "before"}: not a page link this queue made; showing the first page`,
      );
  }
  return { filters, problems };
}

/** The URL of the queue with these filters; defaults are left out so links stay short. */
export function queueHref(filters: QueueFilters, change: Partial<QueueFilters> = {}): string {
  const f = { ...filters, ...change };
  const params = new URLSearchParams();
  if (f.model) params.set("model", f.model);
  if (f.environment) params.set("environment", f.environment);
  if (f.status !== DEFAULT_FILTERS.status) params.set("status", f.status);
  if (f.submitter) params.set("submitter", f.submitter);
  if (f.mine) params.set("mine", "1");
  if (f.sort !== DEFAULT_FILTERS.sort) params.set("sort", f.sort);
  if (f.size !== DEFAULT_FILTERS.size) params.set("size", String(f.size));
  if (f.cursor) params.set(f.cursor.direction, encodeCursor(f.cursor));
  const query = params.toString();
  return query ? `/?${query}` : "/";
}
