import { apiHandler, json, readJson } from "@/lib/http/api-handler";
import { MAX_METRICS_BODY_BYTES } from "@/lib/limits";
import { registerVersion } from "@/lib/gate/versions";
import { appUrl } from "@/lib/app-url";

// POST /api/v1/models/{name}/versions – register a version; the model is created on first use
export const POST = apiHandler<{ name: string }>(async ({ req, db, actor, params }) => {
  const body = await readJson(req, { maxBytes: MAX_METRICS_BODY_BYTES });
  const { model, version, metricCount } = registerVersion(db, actor, params.name, body);
  return json(
    {
      model_id: model.id,
      model: model.name,
      version: version.number,
      metrics: metricCount,
      created_at: version.createdAt.toISOString(),
      url: `${appUrl()}/models/${model.name}/versions/${version.number}`,
    },
    201,
  );
});
