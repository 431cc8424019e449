import { apiHandler, json, readJson } from "@/lib/http/api-handler";
import { parseVersionRef } from "@/lib/http/version-ref";
import { recordDeployment } from "@/lib/gate/deployments";

// POST /api/v1/models/{name}/versions/{version}/deployments – record an approved deployment
export const POST = apiHandler<{ name: string; version: string }>(
  async ({ req, db, actor, params }) => {
    const ref = parseVersionRef(params);
    const body = await readJson(req, { optional: true });
    const d = recordDeployment(db, actor, ref.name, ref.version, body);
    return json(
      {
        deployment_id: d.id,
        model: d.model,
        version: d.version,
        environment: d.environment,
        request_id: d.requestId,
        deployed_at: d.createdAt.toISOString(),
        already_current: !d.created,
      },
      d.created ? 201 : 200,
    );
  },
);
