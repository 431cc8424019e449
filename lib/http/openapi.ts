// The OpenAPI 3.1 contract of /api/v1, generated from the same zod schemas
// the handlers validate with, so the document cannot drift from the code.
import { z } from "zod";
import { createDocument } from "zod-openapi";
import {
  addMetricsInput,
  decisionInput,
  gateQueryInput,
  recordDeploymentInput,
  registerVersionInput,
  requestApprovalInput,
} from "@/lib/gate/inputs";
import {
  deploymentSchema,
  gateStatusSchema,
  metricsAddedSchema,
  policySchema,
  problemSchema,
  registeredSchema,
} from "./api-schemas";

const name = z.string().meta({ description: "Model name", example: "fraud-detector" });
const version = z.string().meta({ description: "Version number", example: "3" });
const environment = z.string().meta({ description: "Environment", example: "production" });
const idempotencyKey = z
  .string()
  .optional()
  .meta({ description: "Retries with the same key and body get the first answer" });

const json = (schema: z.ZodType) => ({ content: { "application/json": { schema } } });
const problem = (description: string) => ({
  description,
  content: { "application/problem+json": { schema: problemSchema } },
});
const errors = {
  "400": problem("Invalid input: names the field and the rule"),
  "401": problem("No valid bearer token or session"),
  "403": problem("The caller may not do this"),
  "404": problem("The model, version, environment or request does not exist"),
  "409": problem("A conflict with the current state, named in the detail"),
  "413": problem(
    "The body is over its limit: 1 MB, or 4 MB when registering a version or adding metrics",
  ),
  "422": problem("Idempotency-Key reused with another body"),
  "503": problem("The database stayed busy past its timeout; retry after Retry-After seconds"),
};
const versionParams = { path: z.object({ name, version }) };
const post = { header: z.object({ "idempotency-key": idempotencyKey }) };

export function openApiDocument() {
  return createDocument({
    openapi: "3.1.0",
    info: {
      title: "Model approval gate API",
      version: "1",
      description: "Register versions, ask for approval, wait on the gate, record deployments.",
    },
    components: {
      securitySchemes: { bearer: { type: "http", scheme: "bearer" } },
    },
    security: [{ bearer: [] }],
    paths: {
      "/api/v1/models/{name}/versions": {
        post: {
          summary: "Register a version (the model is created on first use)",
          requestParams: { path: z.object({ name }), ...post },
          requestBody: json(registerVersionInput),
          responses: { "201": { description: "Registered", ...json(registeredSchema) }, ...errors },
        },
      },
      "/api/v1/models/{name}/versions/{version}/metrics": {
        post: {
          summary: "Add validation results to a version",
          requestParams: { ...versionParams, ...post },
          requestBody: json(addMetricsInput),
          responses: { "201": { description: "Recorded", ...json(metricsAddedSchema) }, ...errors },
        },
      },
      "/api/v1/models/{name}/versions/{version}/approval": {
        post: {
          summary: "Ask whether the version may go to an environment",
          requestParams: { ...versionParams, ...post },
          requestBody: json(requestApprovalInput),
          responses: {
            "200": { description: "An open or approved request exists", ...json(gateStatusSchema) },
            "201": { description: "Request created", ...json(gateStatusSchema) },
            ...errors,
          },
        },
        get: {
          summary: "The gate's answer; wait=SECONDS long-polls until final",
          requestParams: { ...versionParams, query: gateQueryInput },
          responses: {
            "200": { description: "Gate status", ...json(gateStatusSchema) },
            ...errors,
          },
        },
      },
      "/api/v1/models/{name}/versions/{version}/deployments": {
        post: {
          summary: "Record a deployment of an approved version",
          requestParams: { ...versionParams, ...post },
          requestBody: json(recordDeploymentInput),
          responses: {
            "200": { description: "Already the live version", ...json(deploymentSchema) },
            "201": { description: "Recorded", ...json(deploymentSchema) },
            ...errors,
            "409": problem("Not approved for that environment"),
          },
        },
      },
      "/api/v1/models/{name}/environments/{environment}/policy": {
        get: {
          summary: "The policy new requests are judged by",
          requestParams: { path: z.object({ name, environment }) },
          responses: { "200": { description: "Policy", ...json(policySchema) }, ...errors },
        },
        put: {
          summary: "Save a new policy revision (YAML body)",
          requestParams: { path: z.object({ name, environment }) },
          requestBody: { content: { "application/yaml": { schema: z.string() } } },
          responses: { "201": { description: "Saved", ...json(policySchema) }, ...errors },
        },
      },
      "/api/v1/policies/default": {
        get: {
          summary: "The organisation-wide default policy",
          responses: { "200": { description: "Policy", ...json(policySchema) }, ...errors },
        },
        put: {
          summary: "Save a new revision of the default policy (YAML body)",
          requestBody: { content: { "application/yaml": { schema: z.string() } } },
          responses: { "201": { description: "Saved", ...json(policySchema) }, ...errors },
        },
      },
      "/api/v1/requests/{id}/decisions": {
        post: {
          summary: "Approve or reject as a person (personal token or session)",
          requestParams: { path: z.object({ id: z.string() }), ...post },
          requestBody: json(decisionInput),
          responses: {
            "201": { description: "Decision recorded", ...json(gateStatusSchema) },
            ...errors,
            "409": problem("The request is final, awaiting metrics, or already decided by you"),
          },
        },
      },
      "/api/v1/openapi.json": {
        get: {
          summary: "This document",
          security: [],
          responses: { "200": { description: "OpenAPI 3.1 document" } },
        },
      },
    },
  });
}
