// What the API answers, as zod schemas: the OpenAPI document is generated
// from these and from the input schemas in lib/gate/inputs.ts, and the
// contract test checks real answers against them.
import { z } from "zod";
import { REQUEST_STATUSES } from "@/lib/requests/status";

const iso = z.string().meta({ format: "date-time" });

export const problemSchema = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    code: z.string().meta({ example: "bad_request:validation" }),
    detail: z.string(),
    errors: z
      .array(
        z.object({
          field: z.string(),
          rule: z.string(),
          message: z.string(),
          line: z.number().int().nullable().optional(),
        }),
      )
      .optional(),
    instance: z.string().optional(),
  })
  .meta({ id: "Problem", description: "application/problem+json (RFC 9457)" });

export const gateStatusSchema = z
  .object({
    request_id: z.number().int(),
    model_id: z.number().int(),
    model: z.string(),
    version: z.number().int(),
    metrics_revision: z
      .number()
      .int()
      .meta({
        description:
          "counts the calls that changed this version's metrics after registration; " +
          "send it with a decision to have it refused (409) if the metrics change before",
      }),
    environment: z.string(),
    status: z.enum(REQUEST_STATUSES),
    final: z.boolean(),
    reason: z.string().nullable(),
    approved_by: z.array(z.string()),
    missing_metrics: z.array(z.string()),
    required_approvals: z.array(
      z.object({
        rule: z.string(),
        approvers: z.array(z.string()),
        count: z.number().int(),
        approvals: z.number().int(),
      }),
    ),
    decisions: z.array(
      z.object({
        by: z.string(),
        automatic: z.boolean(),
        decision: z.enum(["approve", "reject"]),
        comment: z.string().nullable(),
        dismissed: z.boolean(),
        at: iso,
        evidence: z.record(z.string(), z.unknown()).optional(),
      }),
    ),
    on_reject: z.enum(["fail_pipeline", "continue"]),
    policy_revision: z.number().int().nullable(),
    policy_scope: z.enum(["model environment", "organisation default", "built-in default"]),
    note: z.string().nullable(),
    created_at: iso,
    finalized_at: iso.nullable(),
    expires_at: iso.nullable(),
    review_url: z.string(),
  })
  .meta({ id: "GateStatus" });

export const registeredSchema = z
  .object({
    model_id: z.number().int(),
    model: z.string(),
    version: z.number().int(),
    metrics: z.number().int(),
    created_at: iso,
    url: z.string(),
  })
  .meta({ id: "RegisteredVersion" });

export const metricsAddedSchema = z
  .object({
    model_id: z.number().int(),
    model: z.string(),
    version: z.number().int(),
    added: z.number().int(),
    replaced: z.number().int(),
    requests_reevaluated: z.number().int(),
  })
  .meta({ id: "MetricsAdded" });

export const deploymentSchema = z
  .object({
    deployment_id: z.number().int(),
    model: z.string(),
    version: z.number().int(),
    environment: z.string(),
    request_id: z.number().int(),
    deployed_at: iso,
    already_current: z.boolean(),
  })
  .meta({ id: "Deployment" });

export const policySchema = z
  .object({
    model: z.string().optional(),
    environment: z.string().optional(),
    scope: z.string(),
    revision: z.number().int().nullable(),
    source: z.string(),
    created_at: iso.nullable(),
  })
  .meta({ id: "Policy" });
