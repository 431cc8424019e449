// Pipelines deploying through the API: versions approved by a policy that
// approves automatically, each recorded as deployed to production in turn.
import { expect, type APIRequestContext } from "@playwright/test";
import { bearer, tokens } from "./api";

export async function deployVersions(request: APIRequestContext, model: string, count: number) {
  for (let i = 1; i <= count; i++) {
    const reg = await request.post(`/api/v1/models/${model}/versions`, {
      headers: bearer(),
      data: { metrics: [{ name: "accuracy", value: 0.9 + i / 100 }] },
    });
    expect(reg.status(), await reg.text()).toBe(201);
    if (i === 1) {
      const policy = await request.put(`/api/v1/models/${model}/environments/production/policy`, {
        headers: { ...bearer(tokens().policy), "content-type": "application/yaml" },
        data: "auto_approve: [accuracy >= 0.5]\n",
      });
      expect(policy.status(), await policy.text()).toBeLessThan(300);
    }
    const ask = await request.post(`/api/v1/models/${model}/versions/${i}/approval`, {
      headers: bearer(),
      data: { environment: "production" },
    });
    expect(((await ask.json()) as { status: string }).status).toBe("approved");
    const deploy = await request.post(`/api/v1/models/${model}/versions/${i}/deployments`, {
      headers: bearer(),
      data: { environment: "production" },
    });
    expect(deploy.status(), await deploy.text()).toBe(201);
  }
}
