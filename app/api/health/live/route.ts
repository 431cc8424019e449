// GET /api/health/live – liveness: the process answers, nothing else is checked.
// Also the benchmark's reference for what this framework serves on this
// machine with no work at all (/api/health reads the database).
export const dynamic = "force-dynamic";

export function GET() {
  return Response.json({ ok: true });
}
