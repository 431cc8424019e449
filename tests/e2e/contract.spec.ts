import { expect, test, type APIResponse } from "@playwright/test";
import type { z } from "zod";
import {
  deploymentSchema,
  gateStatusSchema,
  metricsAddedSchema,
  policySchema,
  problemSchema,
  registeredSchema,
} from "@/lib/http/api-schemas";
import { bearer, tokens, uniqueModelName } from "./support/api";

type Doc = { paths: Record<string, Record<string, { responses: Record<string, unknown> }>> };

const SCHEMA_BY_OPERATION: Record<string, z.ZodType> = {
  "post /api/v1/models/{name}/versions": registeredSchema,
  "post /api/v1/models/{name}/versions/{version}/metrics": metricsAddedSchema,
  "post /api/v1/models/{name}/versions/{version}/approval": gateStatusSchema,
  "get /api/v1/models/{name}/versions/{version}/approval": gateStatusSchema,
  "post /api/v1/models/{name}/versions/{version}/deployments": deploymentSchema,
  "get /api/v1/models/{name}/environments/{environment}/policy": policySchema,
  "put /api/v1/models/{name}/environments/{environment}/policy": policySchema,
  "post /api/v1/requests/{id}/decisions": gateStatusSchema,
};

// Every real answer must be one the contract documents, with the documented body.
test("the API answers only what its OpenAPI document says", async ({ request }) => {
  const docAnswer = await request.get("/api/v1/openapi.json");
  expect(docAnswer.status()).toBe(200);
  const doc = (await docAnswer.json()) as Doc;
  let checked = 0;

  async function check(method: string, template: string, res: APIResponse) {
    const operation = doc.paths[template]?.[method];
    expect(operation, `${method} ${template} is documented`).toBeTruthy();
    const status = String(res.status());
    expect(Object.keys(operation!.responses), `${method} ${template} → ${status}`).toContain(
      status,
    );
    const body = await res.json();
    const schema = res.ok() ? SCHEMA_BY_OPERATION[`${method} ${template}`] : problemSchema;
    if (schema) expect(schema.safeParse(body).error?.issues ?? []).toEqual([]);
    checked += 1;
  }

  const model = uniqueModelName("contract");
  const v = `/api/v1/models/${model}/versions`;
  const auth = { headers: bearer() };
  await check(
    "post",
    "/api/v1/models/{name}/versions",
    await request.post(v, { ...auth, data: {} }),
  );
  await check(
    "post",
    "/api/v1/models/{name}/versions",
    await request.post(v, { ...auth, data: { metrics: [{ name: "a", value: "x" }] } }),
  );
  await check("post", "/api/v1/models/{name}/versions", await request.post(v, { data: {} }));
  await check(
    "post",
    "/api/v1/models/{name}/versions/{version}/metrics",
    await request.post(`${v}/1/metrics`, {
      ...auth,
      data: { metrics: [{ name: "auc", value: 0.9 }] },
    }),
  );
  await check(
    "post",
    "/api/v1/models/{name}/versions/{version}/approval",
    await request.post(`${v}/1/approval`, { ...auth, data: {} }),
  );
  await check(
    "post",
    "/api/v1/models/{name}/versions/{version}/approval",
    await request.post(`${v}/1/approval`, { ...auth, data: {} }),
  );
  await check(
    "get",
    "/api/v1/models/{name}/versions/{version}/approval",
    await request.get(`${v}/1/approval?wait=0`, auth),
  );
  await check(
    "get",
    "/api/v1/models/{name}/versions/{version}/approval",
    await request.get(`${v}/9/approval`, auth),
  );
  await check(
    "post",
    "/api/v1/models/{name}/versions/{version}/deployments",
    await request.post(`${v}/1/deployments`, { ...auth, data: {} }),
  );
  const policyUrl = `/api/v1/models/${model}/environments/production/policy`;
  await check(
    "get",
    "/api/v1/models/{name}/environments/{environment}/policy",
    await request.get(policyUrl, auth),
  );
  await check(
    "put",
    "/api/v1/models/{name}/environments/{environment}/policy",
    await request.put(policyUrl, { headers: bearer(tokens().policy), data: "approvals: []\n" }),
  );
  await check(
    "post",
    "/api/v1/requests/{id}/decisions",
    await request.post("/api/v1/requests/999999/decisions", {
      ...auth,
      data: { decision: "approve" },
    }),
  );
  expect(checked).toBe(12);
});
