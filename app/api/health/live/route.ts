// GET /api/health/live – liveness: the process answers, nothing else is checked.
// Also the benchmark's reference for what this framework serves on this
// machine with no work at all (/api/health reads the database). It answers
// through the same JSON helper as the API, so the two are compared like for like.
import { jsonText } from "@/lib/http/api-handler";

export const dynamic = "force-dynamic";

const OK = JSON.stringify({ ok: true });

export function GET() {
  return jsonText(OK);
}
