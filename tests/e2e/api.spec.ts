import { expect, test } from "@playwright/test";
import { bearer, tokens, uniqueModelName } from "./support/api";

const problem = "application/problem+json";

test("versions are numbered 1, 2, 3 per model, also when registered in parallel", async ({
  request,
}) => {
  const model = uniqueModelName("parallel");
  const answers = await Promise.all(
    Array.from({ length: 12 }, () =>
      request.post(`/api/v1/models/${model}/versions`, {
        headers: bearer(),
        data: { metrics: [] },
      }),
    ),
  );
  expect(answers.map((a) => a.status())).toEqual(Array(12).fill(201));
  const numbers = await Promise.all(
    answers.map(async (a) => ((await a.json()) as { version: number }).version),
  );
  expect(numbers.sort((a, b) => a - b)).toEqual(Array.from({ length: 12 }, (_, i) => i + 1));
});

test("calls without a valid bearer token get 401", async ({ request }) => {
  const none = await request.post("/api/v1/models/anything/versions", { data: {} });
  expect(none.status()).toBe(401);
  expect(none.headers()["content-type"]).toContain(problem);
  const wrong = await request.post("/api/v1/models/anything/versions", {
    headers: { authorization: "Bearer mag_not-a-real-token" },
    data: {},
  });
  expect(wrong.status()).toBe(401);
});

test("an unknown model or version answers 404 naming it", async ({ request }) => {
  const model = await request.get("/api/v1/models/no-such-model/versions/1/approval", {
    headers: bearer(),
  });
  expect(model.status()).toBe(404);
  expect(await model.json()).toMatchObject({
    code: "not_found:model",
    detail: 'No model named "no-such-model".',
  });

  const name = uniqueModelName("known");
  await request.post(`/api/v1/models/${name}/versions`, { headers: bearer(), data: {} });
  const version = await request.post(`/api/v1/models/${name}/versions/7/metrics`, {
    headers: bearer(),
    data: { metrics: [{ name: "auc", value: 0.9 }] },
  });
  expect(version.status()).toBe(404);
  expect((await version.json()).detail).toBe(`Model "${name}" has no version 7.`);
});

test("malformed JSON and wrong types answer 400 naming the field and rule, writing nothing", async ({
  request,
}) => {
  const model = uniqueModelName("bad-input");
  const url = `/api/v1/models/${model}/versions`;
  const malformed = await request.post(url, {
    headers: { ...bearer(), "content-type": "application/json" },
    data: Buffer.from('{"metrics": ['),
  });
  expect(malformed.status()).toBe(400);
  expect(await malformed.json()).toMatchObject({ code: "bad_request:json" });

  for (const value of ["NaN", "0.9", null]) {
    const res = await request.post(url, {
      headers: bearer(),
      data: { metrics: [{ name: "accuracy", value }] },
    });
    expect(res.status()).toBe(400);
    const body = await res.json();
    expect(body.errors[0]).toMatchObject({ field: "metrics.0.value" });
    expect(body.detail).toContain("metrics.0.value");
  }
  // JSON has no Infinity literal, but 1e999 parses to it.
  const infinite = await request.post(url, {
    headers: { ...bearer(), "content-type": "application/json" },
    data: Buffer.from('{"metrics": [{"name": "accuracy", "value": 1e999}]}'),
  });
  expect(infinite.status()).toBe(400);
  expect((await infinite.json()).detail).toContain("must be a finite number, not NaN, Infinity");

  const params = await request.post(url, {
    headers: bearer(),
    data: { params: ["not", "an", "object"] },
  });
  expect(params.status()).toBe(400);
  expect((await params.json()).errors[0].field).toBe("params");

  // Nothing was half-written: the model was never created.
  const gate = await request.get(`/api/v1/models/${model}/versions/1/approval`, {
    headers: bearer(),
  });
  expect(gate.status()).toBe(404);
});

test("a policy whose approvers are a string is refused with the line, field and rule", async ({
  request,
}) => {
  const model = uniqueModelName("policy");
  const res = await request.put(`/api/v1/models/${model}/environments/production/policy`, {
    headers: { ...bearer(tokens().policy), "content-type": "application/yaml" },
    data: "required_metrics: [accuracy]\napprovals:\n  - approvers: team_lead\n    count: 1\n",
  });
  expect(res.status()).toBe(400);
  const body = await res.json();
  expect(body.code).toBe("bad_request:policy");
  expect(body.errors[0]).toMatchObject({ field: "approvals.0.approvers", line: 3 });
  expect(body.detail).toContain("must be a list, not a string");

  const pipelineToken = await request.put(
    `/api/v1/models/${model}/environments/production/policy`,
    {
      headers: bearer(),
      data: "approvals:\n  - approvers: [role:lead]\n",
    },
  );
  expect(pipelineToken.status()).toBe(403);
});

test("a request waits in awaiting_metrics naming the missing metric until the pipeline stores it", async ({
  request,
}) => {
  const model = uniqueModelName("late-metrics");
  const saved = await request.put(`/api/v1/models/${model}/environments/production/policy`, {
    headers: bearer(tokens().policy),
    data: "required_metrics: [accuracy, auc]\nauto_approve: [auc >= 0.9]\n",
  });
  expect(saved.status()).toBe(201);
  await request.post(`/api/v1/models/${model}/versions`, {
    headers: bearer(),
    data: { metrics: [{ name: "accuracy", value: 0.95 }] },
  });
  const ask = await request.post(`/api/v1/models/${model}/versions/1/approval`, {
    headers: bearer(),
    data: {},
  });
  expect(ask.status()).toBe(201);
  expect(await ask.json()).toMatchObject({ status: "awaiting_metrics", missing_metrics: ["auc"] });

  const deploy = await request.post(`/api/v1/models/${model}/versions/1/deployments`, {
    headers: bearer(),
    data: { environment: "production" },
  });
  expect(deploy.status()).toBe(409);
  expect((await deploy.json()).detail).toContain("awaiting_metrics");

  await request.post(`/api/v1/models/${model}/versions/1/metrics`, {
    headers: bearer(),
    data: { metrics: [{ name: "auc", value: 0.93, split: "test" }] },
  });
  const gate = await request.get(
    `/api/v1/models/${model}/versions/1/approval?environment=production&wait=2`,
    {
      headers: bearer(),
    },
  );
  expect(await gate.json()).toMatchObject({
    status: "approved",
    approved_by: ["policy r1"],
    missing_metrics: [],
  });
  const deployed = await request.post(`/api/v1/models/${model}/versions/1/deployments`, {
    headers: bearer(),
    data: { environment: "production" },
  });
  expect(deployed.status()).toBe(201);
});

test("the gate's wait parameter is bounded and validated", async ({ request }) => {
  const res = await request.get("/api/v1/models/x/versions/1/approval?wait=601", {
    headers: bearer(),
  });
  expect(res.status()).toBe(400);
  expect((await res.json()).errors[0]).toMatchObject({ field: "wait" });
});

test("a version number is written one way only and unknown API routes answer problem+json", async ({
  request,
}) => {
  const model = uniqueModelName("strict");
  await request.post(`/api/v1/models/${model}/versions`, { headers: bearer(), data: {} });
  for (const v of ["01", "1e0", "+1", "0x1"]) {
    const res = await request.get(`/api/v1/models/${model}/versions/${v}/approval`, {
      headers: bearer(),
    });
    expect(res.status(), v).toBe(400);
    expect((await res.json()).errors[0].field).toBe("version");
  }
  const unknown = await request.get("/api/v1/nothing-here", { headers: bearer() });
  expect(unknown.status()).toBe(404);
  expect(unknown.headers()["content-type"]).toContain(problem);
  expect((await unknown.json()).code).toBe("not_found:route");
});

test("the same metric twice in one call is refused instead of silently keeping one", async ({
  request,
}) => {
  const res = await request.post(`/api/v1/models/${uniqueModelName("dup")}/versions`, {
    headers: bearer(),
    data: {
      metrics: [
        { name: "a", value: 1 },
        { name: "a", value: 2 },
      ],
    },
  });
  expect(res.status()).toBe(400);
  expect((await res.json()).errors[0]).toMatchObject({
    field: "metrics.1",
    rule: "duplicate_metric",
  });
});

test("rewriting an approved version's metrics dismisses the approval, so it cannot deploy", async ({
  request,
}) => {
  const model = uniqueModelName("rewrite");
  await request.put(`/api/v1/models/${model}/environments/production/policy`, {
    headers: bearer(tokens().policy),
    data: "required_metrics: [accuracy]\nauto_approve: [accuracy >= 0.9]\nauto_reject: [accuracy < 0.8]\n",
  });
  await request.post(`/api/v1/models/${model}/versions`, {
    headers: bearer(),
    data: { metrics: [{ name: "accuracy", value: 0.95, split: "test" }] },
  });
  const ask = await request.post(`/api/v1/models/${model}/versions/1/approval`, {
    headers: bearer(),
    data: {},
  });
  expect((await ask.json()).status).toBe("approved");

  await request.post(`/api/v1/models/${model}/versions/1/metrics`, {
    headers: bearer(),
    data: { metrics: [{ name: "accuracy", value: 0.5, split: "test" }] },
  });
  const gate = await request.get(`/api/v1/models/${model}/versions/1/approval`, {
    headers: bearer(),
  });
  const body = await gate.json();
  expect(body.status).toBe("rejected");
  expect(body.reason).toContain("approval dismissed: metrics changed (accuracy 0.95 → 0.5)");
  const deploy = await request.post(`/api/v1/models/${model}/versions/1/deployments`, {
    headers: bearer(),
    data: { environment: "production" },
  });
  expect(deploy.status()).toBe(409);
});

test("recording the live version again is answered without a second deployment row", async ({
  request,
}) => {
  const model = uniqueModelName("redeploy");
  await request.put(`/api/v1/models/${model}/environments/production/policy`, {
    headers: bearer(tokens().policy),
    data: "auto_approve: [accuracy >= 0.5]\n",
  });
  await request.post(`/api/v1/models/${model}/versions`, {
    headers: bearer(),
    data: { metrics: [{ name: "accuracy", value: 0.9 }] },
  });
  await request.post(`/api/v1/models/${model}/versions/1/approval`, {
    headers: bearer(),
    data: {},
  });
  const url = `/api/v1/models/${model}/versions/1/deployments`;
  const answers = await Promise.all(
    [1, 2, 3].map(() => request.post(url, { headers: bearer(), data: {} })),
  );
  const statuses = answers.map((a) => a.status()).sort();
  expect(statuses).toEqual([200, 200, 201]);
  const ids = await Promise.all(answers.map(async (a) => (await a.json()).deployment_id));
  expect(new Set(ids).size).toBe(1);
});

test("a write with a session cookie from another origin is refused", async ({ page, baseURL }) => {
  await page.goto("/login");
  await page.getByLabel("Email").fill("lead@example.com");
  await page.getByLabel("Password").fill("lead-demo-pass");
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL(`${baseURL}/`);
  const model = uniqueModelName("csrf");
  const url = `/api/v1/models/${model}/versions`;
  const foreign = await page.request.post(url, {
    headers: { origin: "http://evil.example", "content-type": "text/plain" },
    data: '{"metrics": []}',
  });
  expect(foreign.status()).toBe(403);
  expect((await foreign.json()).code).toBe("forbidden:cross_origin");
  const noOrigin = await page.request.post(url, { data: { metrics: [] } });
  expect(noOrigin.status()).toBe(403);
  const same = await page.request.post(url, {
    headers: { origin: baseURL ?? "" },
    data: { metrics: [] },
  });
  expect(same.status()).toBe(201);
});
