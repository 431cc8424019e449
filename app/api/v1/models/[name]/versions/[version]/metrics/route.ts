import { apiHandler, json, readJson } from "@/lib/http/api-handler";
import { MAX_METRICS_BODY_BYTES } from "@/lib/limits";
import { parseVersionRef } from "@/lib/http/version-ref";
import { addMetrics } from "@/lib/gate/versions";

// POST /api/v1/models/{name}/versions/{version}/metrics – add validation results later
export const POST = apiHandler<{ name: string; version: string }>(
  async ({ req, db, actor, params }) => {
    const ref = parseVersionRef(params);
    const body = await readJson(req, { maxBytes: MAX_METRICS_BODY_BYTES });
    const result = addMetrics(db, actor, ref.name, ref.version, body);
    return json(
      {
        model_id: result.model.id,
        model: result.model.name,
        version: result.version.number,
        added: result.added,
        replaced: result.replaced,
        requests_reevaluated: result.reevaluated,
      },
      201,
    );
  },
);
