// Talks to the API as a pipeline would, with the token the e2e server wrote.
import fs from "node:fs";
import path from "node:path";
import type { APIRequestContext } from "@playwright/test";

export function tokens(): { pipeline: string; policy: string } {
  const dir = path.resolve(process.env.E2E_DIR ?? "test-results/e2e-server");
  return JSON.parse(fs.readFileSync(path.join(dir, "tokens.json"), "utf8"));
}

export function bearer(secret = tokens().pipeline) {
  return { authorization: `Bearer ${secret}` };
}

let counter = 0;
export function uniqueModelName(prefix: string): string {
  counter += 1;
  return `${prefix}-${Date.now().toString(36)}-${counter}`;
}

/** Registers a version and asks for production approval; returns its number. */
export async function registerPendingVersion(request: APIRequestContext, model: string) {
  const reg = await request.post(`/api/v1/models/${model}/versions`, {
    headers: bearer(),
    data: {
      source_uri: "s3://models/e2e.pkl",
      params: { C: 1 },
      metrics: [{ name: "accuracy", value: 0.93, split: "test" }],
    },
  });
  if (reg.status() !== 201)
    throw new Error(`register answered ${reg.status()}: ${await reg.text()}`);
  const { version } = (await reg.json()) as { version: number };
  const ask = await request.post(`/api/v1/models/${model}/versions/${version}/approval`, {
    headers: bearer(),
    data: { environment: "production", note: "e2e candidate" },
  });
  if (ask.status() !== 201)
    throw new Error(`approval answered ${ask.status()}: ${await ask.text()}`);
  return version;
}
