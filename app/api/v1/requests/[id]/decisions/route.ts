import { getEnvironmentById } from "@/db/queries/environments";
import { apiHandler, json, readJson } from "@/lib/http/api-handler";
import { decideRequest } from "@/lib/gate/decide";
import { describeRequest } from "@/lib/gate/gate-status";
import { parseInput, requestIdRef } from "@/lib/gate/inputs";

// POST /api/v1/requests/{id}/decisions – approve or reject as a person (personal token or session)
export const POST = apiHandler<{ id: string }>(async ({ req, db, actor, params }) => {
  const { id } = parseInput(requestIdRef, params, "path");
  const body = await readJson(req);
  const { request } = decideRequest(db, actor, id, body);
  const environment = getEnvironmentById(db, request.environmentId);
  if (!environment) throw new Error(`request ${id} has no environment`);
  return json(describeRequest(db, request, environment), 201);
});
