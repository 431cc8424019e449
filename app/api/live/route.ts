import { getDb } from "@/db/client";
import { getCurrentUser } from "@/lib/auth/current-user";
import { unauthorized } from "@/lib/errors";
import { isShuttingDown } from "@/lib/gate/request-events";
import { clientAddress } from "@/lib/http/client-address";
import { problemResponse } from "@/lib/http/problem";
import { recordRefusal } from "@/lib/http/refusals";
import { liveEventStream } from "@/lib/live/event-stream";

export const dynamic = "force-dynamic";

// GET /api/live – server-sent events naming the requests that change, for the dashboard's
// pages; outside /api/v1 because it serves signed-in browsers, not pipelines
export async function GET(req: Request) {
  const path = new URL(req.url).pathname;
  const user = await getCurrentUser();
  if (!user) {
    const error = unauthorized("Sign in to receive live updates.");
    await recordRefusal(getDb(), null, {
      attempt: `GET ${path}`,
      error,
      address: clientAddress(req.headers),
    });
    return problemResponse(error, path);
  }
  // A server that is draining takes no new streams; the page reconnects later.
  if (isShuttingDown()) return new Response(null, { status: 503, headers: { "retry-after": "3" } });
  return liveEventStream(getDb(), user.id, req.signal);
}
