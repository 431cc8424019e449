import { getDb } from "@/db/client";
import { countAuditEvents } from "@/db/queries/audit";

// GET /api/health – readiness: the database opens and answers
export function GET() {
  countAuditEvents(getDb());
  return Response.json({ ok: true });
}
