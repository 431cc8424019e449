// Replays a recorded run of examples/sklearn-pipeline through the HTTP API,
// exactly as the pipeline sent it, then deploys the best approved version
// of each run as the pipeline's last step would.
import fs from "node:fs";
import { z } from "zod";

const call = z.object({
  method: z.string(),
  path: z.string().startsWith("/api/v1/"),
  body: z.unknown(),
  version_from: z.number().int().optional(),
});
const recording = z.object({
  format: z.literal(1),
  runs: z.array(z.object({ model: z.string(), environment: z.string(), calls: z.array(call) })),
});

export type ReplayedRequest = { model: string; version: number; status: string };

async function send(baseUrl: string, secret: string, method: string, path: string, body: unknown) {
  const res = await fetch(baseUrl + path, {
    method,
    headers: { authorization: `Bearer ${secret}`, "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const answer = (await res.json()) as Record<string, unknown>;
  if (!res.ok)
    throw new Error(`${method} ${path} answered ${res.status}: ${String(answer.detail)}`);
  return answer;
}

export async function replayRecording(baseUrl: string, secret: string, file: string) {
  const doc = recording.parse(JSON.parse(fs.readFileSync(file, "utf8")));
  const results: ReplayedRequest[] = [];
  for (const run of doc.runs) {
    const answers: Record<string, unknown>[] = [];
    const approved: { version: number; rocAuc: number }[] = [];
    for (const c of run.calls) {
      // Waits and deployments depend on live decisions; they are not replayed.
      if (c.method !== "POST" || c.path.endsWith("/deployments")) {
        answers.push({});
        continue;
      }
      const version = c.version_from === undefined ? undefined : answers[c.version_from]?.version;
      const path = c.path.replace("{version}", String(version));
      const answer = await send(baseUrl, secret, c.method, path, c.body);
      answers.push(answer);
      if (path.endsWith("/approval")) {
        results.push({ model: run.model, version: Number(version), status: String(answer.status) });
        if (answer.status === "approved") {
          const evidence = (
            answer.decisions as { evidence?: { values?: Record<string, number> } }[]
          ).find((d) => d.evidence)?.evidence;
          approved.push({ version: Number(version), rocAuc: evidence?.values?.roc_auc ?? 0 });
        }
      }
    }
    const best = approved.sort((a, b) => b.rocAuc - a.rocAuc)[0];
    if (best) {
      await send(
        baseUrl,
        secret,
        "POST",
        `/api/v1/models/${run.model}/versions/${best.version}/deployments`,
        {
          environment: run.environment,
        },
      );
    }
  }
  return results;
}
