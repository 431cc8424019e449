import { openApiDocument } from "@/lib/http/openapi";

// GET /api/v1/openapi.json – the API contract, generated from the zod schemas
export function GET() {
  return Response.json(openApiDocument());
}
