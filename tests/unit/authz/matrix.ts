// The authorisation matrix as data: for every route handler and every server
// action, who may call it and what an allowed call answers. Everyone not
// listed must be refused: 401 without valid credentials, 403 otherwise.
// coverage.test.ts fails when a route or action has no entry here.
import type { TokenScope } from "@/lib/permissions";
import { MODEL, type AuthzWorld, type Caller, type Person } from "./authz-world";

type Params = Record<string, string>;

export type RouteEntry = {
  /** "METHOD /api/…" with [param] segments, as the file tree names it. */
  route: string;
  load: () => Promise<Record<string, unknown>>;
  params: (w: AuthzWorld) => Params;
  /** Path and query after the origin. */
  url: (w: AuthzWorld) => string;
  body?: (w: AuthzWorld) => string;
  /** Everyone may call it (no credentials needed); `allowed` is then ignored. */
  public?: boolean;
  allowed: Caller[];
  okStatus: number;
  /** Whether an allowed call changes rows; "audit" when it only adds an audit event. */
  writes: boolean | "audit";
  /** The audit events an allowed call records, in order (none when it only reads). */
  audit?: string[];
  /** Signed-in people only: a bearer token is no credential here (401). */
  sessionOnly?: boolean;
  /** The token scope the route needs; "personal" for a person's own token. */
  scope?: TokenScope | "personal";
};

const versions = () => import("@/app/api/v1/models/[name]/versions/route");
const metrics = () => import("@/app/api/v1/models/[name]/versions/[version]/metrics/route");
const approval = () => import("@/app/api/v1/models/[name]/versions/[version]/approval/route");
const deployments = () => import("@/app/api/v1/models/[name]/versions/[version]/deployments/route");
const policy = () => import("@/app/api/v1/models/[name]/environments/[environment]/policy/route");
const defaultPolicy = () => import("@/app/api/v1/policies/default/route");
const decisions = () => import("@/app/api/v1/requests/[id]/decisions/route");
const openapi = () => import("@/app/api/v1/openapi.json/route");
const health = () => import("@/app/api/health/route");
const liveness = () => import("@/app/api/health/live/route");
const unknown = () => import("@/app/api/[...path]/route");
const auditExport = () => import("@/app/audit/export/route");

const PEOPLE_WHO_READ: Caller[] = ["viewer", "outsider", "eligible", "lead", "admin"];
const LEADS: Caller[] = ["lead", "admin"];
const v = (n: number) => ({ name: MODEL, version: String(n) });
const POLICY_TEXT = "approvals:\n  - approvers: [role:lead]\n    count: 1\n";

export const ROUTE_MATRIX: RouteEntry[] = [
  {
    route: "POST /api/v1/models/[name]/versions",
    load: versions,
    params: () => ({ name: MODEL }),
    url: () => `/api/v1/models/${MODEL}/versions`,
    body: () => JSON.stringify({ metrics: [{ name: "accuracy", value: 0.95 }] }),
    allowed: [...LEADS, "tokenWithScope"],
    okStatus: 201,
    writes: true,
    audit: ["version.registered"],
    scope: "register",
  },
  {
    route: "POST /api/v1/models/[name]/versions/[version]/metrics",
    load: metrics,
    params: () => v(1),
    url: () => `/api/v1/models/${MODEL}/versions/1/metrics`,
    body: () => JSON.stringify({ metrics: [{ name: "recall", value: 0.8 }] }),
    allowed: [...LEADS, "tokenWithScope"],
    okStatus: 201,
    writes: true,
    audit: ["metrics.recorded"],
    scope: "register",
  },
  {
    route: "POST /api/v1/models/[name]/versions/[version]/approval",
    load: approval,
    params: () => v(2),
    url: () => `/api/v1/models/${MODEL}/versions/2/approval`,
    body: () => JSON.stringify({ environment: "production" }),
    allowed: ["outsider", "eligible", ...LEADS, "tokenWithScope"],
    okStatus: 201,
    writes: true,
    audit: ["request.created", "request.pending_review", "request.superseded"],
    scope: "request",
  },
  {
    route: "GET /api/v1/models/[name]/versions/[version]/approval",
    load: approval,
    params: () => v(1),
    url: () => `/api/v1/models/${MODEL}/versions/1/approval`,
    allowed: [...PEOPLE_WHO_READ, "tokenWithScope"],
    okStatus: 200,
    writes: false,
    scope: "read",
  },
  {
    route: "POST /api/v1/models/[name]/versions/[version]/deployments",
    load: deployments,
    params: () => v(2),
    url: () => `/api/v1/models/${MODEL}/versions/2/deployments`,
    body: () => JSON.stringify({ environment: "staging" }),
    allowed: [...LEADS, "tokenWithScope"],
    okStatus: 201,
    writes: true,
    audit: ["deployment.recorded"],
    scope: "deploy",
  },
  {
    route: "GET /api/v1/models/[name]/environments/[environment]/policy",
    load: policy,
    params: () => ({ name: MODEL, environment: "production" }),
    url: () => `/api/v1/models/${MODEL}/environments/production/policy`,
    allowed: [...PEOPLE_WHO_READ, "tokenWithScope"],
    okStatus: 200,
    writes: false,
    scope: "read",
  },
  {
    route: "PUT /api/v1/models/[name]/environments/[environment]/policy",
    load: policy,
    params: () => ({ name: MODEL, environment: "production" }),
    url: () => `/api/v1/models/${MODEL}/environments/production/policy`,
    body: () => POLICY_TEXT,
    allowed: [...LEADS, "tokenWithScope"],
    okStatus: 201,
    writes: true,
    audit: ["policy.saved"],
    scope: "policy",
  },
  {
    route: "GET /api/v1/policies/default",
    load: defaultPolicy,
    params: () => ({}),
    url: () => "/api/v1/policies/default",
    allowed: [...PEOPLE_WHO_READ, "tokenWithScope"],
    okStatus: 200,
    writes: false,
    scope: "read",
  },
  {
    route: "PUT /api/v1/policies/default",
    load: defaultPolicy,
    params: () => ({}),
    url: () => "/api/v1/policies/default",
    body: () => POLICY_TEXT,
    allowed: [...LEADS, "tokenWithScope"],
    okStatus: 201,
    writes: true,
    audit: ["policy.saved"],
    scope: "policy",
  },
  {
    route: "POST /api/v1/requests/[id]/decisions",
    load: decisions,
    params: (w) => ({ id: String(w.openRequestId) }),
    url: (w) => `/api/v1/requests/${w.openRequestId}/decisions`,
    body: () => JSON.stringify({ decision: "approve" }),
    // The policy names Rita and role:lead (admins rank above leads); Otto is
    // a reviewer it does not name. A pipeline token has no person to decide as.
    allowed: ["eligible", ...LEADS, "tokenWithScope"],
    okStatus: 201,
    writes: true,
    audit: ["decision.approve", "request.approved"],
    scope: "personal",
  },
  {
    route: "GET /api/v1/openapi.json",
    load: openapi,
    params: () => ({}),
    url: () => "/api/v1/openapi.json",
    public: true,
    allowed: [],
    okStatus: 200,
    writes: false,
  },
  {
    route: "GET /api/health",
    load: health,
    params: () => ({}),
    url: () => "/api/health",
    public: true,
    allowed: [],
    okStatus: 200,
    writes: false,
  },
  {
    route: "GET /api/health/live",
    load: liveness,
    params: () => ({}),
    url: () => "/api/health/live",
    public: true,
    allowed: [],
    okStatus: 200,
    writes: false,
  },
  {
    route: "GET /audit/export",
    load: auditExport,
    params: () => ({}),
    url: () => "/audit/export?action=decision.approve",
    allowed: LEADS,
    okStatus: 200,
    // The export itself is recorded (audit.exported), nothing else changes.
    writes: "audit",
    audit: ["audit.exported"],
    sessionOnly: true,
  },
  ...(["GET", "POST", "PUT", "PATCH", "DELETE"] as const).map((method): RouteEntry => ({
    route: `${method} /api/[...path]`,
    load: unknown,
    params: () => ({ path: "v1/models" }),
    url: () => "/api/v1/models",
    body: method === "GET" ? undefined : () => "{}",
    public: true,
    allowed: [],
    okStatus: 404,
    writes: false,
  })),
];

/** Routes the matrix leaves out, and why; coverage.test.ts accepts these. */
export const ROUTES_ELSEWHERE: Record<string, string> = {
  // Its answer to an allowed caller is a stream that stays open, which the
  // matrix's body read would wait on for ever.
  "GET /api/live":
    "server-sent events for signed-in people: tests/unit/live/live-route.test.ts, e2e live.spec.ts",
  "GET /api/auth/[...nextauth]":
    "next-auth's own sign-in endpoints: tests/unit/auth/sign-in.test.ts and the cookie tests",
  "POST /api/auth/[...nextauth]":
    "next-auth's own sign-in endpoints: tests/unit/auth/sign-in.test.ts and the cookie tests",
  "GET /favicon.ico":
    "public, reads nothing: a redirect to the app's icon; e2e accessibility.spec.ts",
};

export type ActionEntry = {
  /** "file.ts#exportName" under app/actions. */
  action: string;
  load: () => Promise<Record<string, unknown>>;
  input: (w: AuthzWorld) => FormData | object;
  allowed: Person[];
  writes: boolean;
  /** The audit events an allowed call records, in order (none when it only reads). */
  audit?: string[];
};

const form = (fields: Record<string, string | string[]>) => {
  const data = new FormData();
  for (const [k, value] of Object.entries(fields)) {
    for (const one of Array.isArray(value) ? value : [value]) data.append(k, one);
  }
  return data;
};

const checkPolicy = () => import("@/app/actions/check-policy");
const decide = () => import("@/app/actions/decide-request");
const groups = () => import("@/app/actions/manage-groups");
const tokens = () => import("@/app/actions/manage-tokens");
const webhooks = () => import("@/app/actions/manage-webhooks");
const savePolicy = () => import("@/app/actions/save-policy");
const rollback = () => import("@/app/actions/rollback-deployment");

export const ACTION_MATRIX: ActionEntry[] = [
  {
    action: "rollback-deployment.ts#rollbackDeploymentAction",
    load: rollback,
    input: (w) =>
      form({
        model: w.rollbackModel,
        environment: "staging",
        expected_version: "2",
        reason: "v2 doubles the latency",
      }),
    allowed: ["lead", "admin"],
    writes: true,
    audit: ["deployment.rolled_back"],
  },
  {
    action: "check-policy.ts#checkPolicyAction",
    load: checkPolicy,
    input: (w) => ({ model: MODEL, environment: "production", source: w.policy, dryRun: true }),
    allowed: ["lead", "admin"],
    writes: false,
  },
  {
    action: "decide-request.ts#decideRequestAction",
    load: decide,
    input: (w) => form({ requestId: String(w.openRequestId), decision: "approve" }),
    allowed: ["eligible", "lead", "admin"],
    writes: true,
    audit: ["decision.approve", "request.approved"],
  },
  {
    action: "manage-groups.ts#createGroupAction",
    load: groups,
    input: () => form({ name: "ops" }),
    allowed: ["lead", "admin"],
    writes: true,
    audit: ["group.created"],
  },
  {
    action: "manage-groups.ts#changeGroupMemberAction",
    load: groups,
    input: (w) => form({ group: "risk", email: w.people.viewer.email, change: "add" }),
    allowed: ["lead", "admin"],
    writes: true,
    audit: ["group.member_added"],
  },
  {
    action: "manage-groups.ts#createEnvironmentAction",
    load: groups,
    input: () => form({ name: "canary" }),
    allowed: ["lead", "admin"],
    writes: true,
    audit: ["environment.created"],
  },
  {
    action: "manage-tokens.ts#createPipelineTokenAction",
    load: tokens,
    input: () => form({ name: "nightly", expiresInDays: "", scope: ["register", "read"] }),
    allowed: ["admin"],
    writes: true,
    audit: ["token.created"],
  },
  {
    action: "manage-tokens.ts#createPersonalTokenAction",
    load: tokens,
    input: () => form({ name: "my bot", expiresInDays: "30" }),
    allowed: ["outsider", "eligible", "lead", "admin"],
    writes: true,
    audit: ["token.created"],
  },
  {
    action: "manage-tokens.ts#revokeTokenAction",
    load: tokens,
    input: (w) => form({ tokenId: String(w.victimTokenId) }),
    allowed: ["admin"],
    writes: true,
    audit: ["token.revoked"],
  },
  {
    action: "manage-webhooks.ts#createWebhookAction",
    load: webhooks,
    input: () => ({ url: "https://hooks.example.com/other", events: ["request.approved"] }),
    allowed: ["admin"],
    writes: true,
    audit: ["webhook.created"],
  },
  {
    action: "manage-webhooks.ts#setWebhookActiveAction",
    load: webhooks,
    input: (w) => form({ id: String(w.webhookId), active: "false" }),
    allowed: ["admin"],
    writes: true,
    audit: ["webhook.disabled"],
  },
  {
    action: "manage-webhooks.ts#resendDeliveryAction",
    load: webhooks,
    input: (w) => form({ id: String(w.deliveryId) }),
    allowed: ["admin"],
    writes: true,
    audit: ["webhook.delivery_resent"],
  },
  {
    action: "save-policy.ts#savePolicyAction",
    load: savePolicy,
    input: () => form({ model: MODEL, environment: "production", source: POLICY_TEXT }),
    allowed: ["lead", "admin"],
    writes: true,
    audit: ["policy.saved"],
  },
];
