import { apiHandler, json, readText } from "@/lib/http/api-handler";
import { readDefaultPolicy, saveDefaultPolicy } from "@/lib/gate/policies";

// GET /api/v1/policies/default – the organisation-wide default policy
export const GET = apiHandler(({ db, actor }) => json(readDefaultPolicy(db, actor)));

// PUT /api/v1/policies/default – save a new revision of the default (YAML body)
export const PUT = apiHandler(async ({ req, db, actor }) => {
  const source = await readText(req);
  const row = saveDefaultPolicy(db, actor, source);
  // The saved row itself: a policy-only token may save but not read back.
  const saved = { revision: row.revision, source: row.source };
  return json(
    { scope: "organisation default", ...saved, created_at: row.createdAt.toISOString() },
    201,
  );
});
