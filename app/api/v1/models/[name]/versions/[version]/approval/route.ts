import { apiHandler, json, jsonText, readJson } from "@/lib/http/api-handler";
import { parseVersionRef } from "@/lib/http/version-ref";
import { describeRequest, gateStatusText, waitForGateStatus } from "@/lib/gate/gate-status";
import { gateQueryInput, parseInput } from "@/lib/gate/inputs";
import { requestApproval } from "@/lib/gate/requests";

// POST /api/v1/models/{name}/versions/{version}/approval – may this version go to an environment?
export const POST = apiHandler<{ name: string; version: string }>(
  async ({ req, db, actor, params }) => {
    const ref = parseVersionRef(params);
    const body = await readJson(req, { optional: true });
    const { request, created, environment } = requestApproval(
      db,
      actor,
      ref.name,
      ref.version,
      body,
    );
    return json(describeRequest(db, request, environment), created ? 201 : 200);
  },
);

// GET /api/v1/models/{name}/versions/{version}/approval – the gate's answer (wait=SECONDS)
export const GET = apiHandler<{ name: string; version: string }>(
  async ({ req, db, actor, params }) => {
    const ref = parseVersionRef(params);
    const search = Object.fromEntries(new URL(req.url).searchParams);
    const query = parseInput(gateQueryInput, search, "query");
    const status = await waitForGateStatus(
      db,
      actor,
      {
        name: ref.name,
        version: ref.version,
        environment: query.environment,
        waitSeconds: query.wait,
      },
      req.signal,
    );
    // A decision answers every waiter at once: one shared text, no gzip each.
    return jsonText(gateStatusText(status), 200, { compress: false });
  },
);
