import { apiHandler, json, readText } from "@/lib/http/api-handler";
import { readPolicy, savePolicy } from "@/lib/gate/policies";

type Params = { name: string; environment: string };

// GET /api/v1/models/{name}/environments/{environment}/policy – the current policy
export const GET = apiHandler<Params>(({ db, actor, params }) =>
  json(readPolicy(db, actor, params.name, params.environment)),
);

// PUT /api/v1/models/{name}/environments/{environment}/policy – save a new revision (YAML body)
// The answer is the saved row: a token with only the policy scope may not read
// it back, and a refusal after the save would hide a change that happened.
export const PUT = apiHandler<Params>(async ({ req, db, actor, params }) => {
  const source = await readText(req);
  const row = savePolicy(db, actor, params.name, params.environment, source);
  return json(
    {
      model: params.name,
      environment: params.environment,
      scope: "environment",
      revision: row.revision,
      source: row.source,
      created_at: row.createdAt.toISOString(),
    },
    201,
  );
});
