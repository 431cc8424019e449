import { Readable } from "node:stream";
import { getDb } from "@/db/client";
import { getCurrentUser } from "@/lib/auth/current-user";
import { auditCsvStream, exportAuditHistory } from "@/lib/audit/export";
import { AppError, forbidden } from "@/lib/errors";
import { logFor } from "@/lib/log";
import { clientAddress } from "@/lib/http/client-address";
import { isDatabaseBusy } from "@/lib/http/database-busy";
import { busyResponse, internalErrorResponse, problemResponse } from "@/lib/http/problem";
import { isRefusal, recordRefusal } from "@/lib/http/refusals";

const log = logFor("http");

export const dynamic = "force-dynamic";

// GET /audit/export – the (filtered) audit history as a CSV download, for leads and admins
export async function GET(req: Request): Promise<Response> {
  const url = new URL(req.url);
  let user = null;
  try {
    // The export is recorded as an event: another site must not be able to
    // make a signed-in lead's browser start one.
    if (req.headers.get("sec-fetch-site") === "cross-site") {
      throw forbidden("cross_origin", "Start the export from the audit history page.");
    }
    // A repeated parameter stays a list, so it is refused rather than the last one used.
    const query: Record<string, string | string[]> = {};
    for (const key of new Set(url.searchParams.keys())) {
      const values = url.searchParams.getAll(key);
      query[key] = values.length > 1 ? values : (values[0] ?? "");
    }
    user = await getCurrentUser();
    const exported = exportAuditHistory(getDb(), user, query);
    const body = Readable.toWeb(auditCsvStream(exported.records)) as ReadableStream<Uint8Array>;
    return new Response(body, {
      headers: {
        "content-type": "text/csv; charset=utf-8",
        "content-disposition": `attachment; filename="${exported.filename}"`,
        "cache-control": "no-store",
        "x-audit-events": String(exported.count),
      },
    });
  } catch (error) {
    if (error instanceof AppError) {
      if (isRefusal(error)) {
        await recordRefusal(getDb(), user && { type: "user", user }, {
          attempt: `GET ${url.pathname}`,
          error,
          address: clientAddress(req.headers),
        });
      }
      return problemResponse(error, url.pathname);
    }
    // Recording the export needs the write lock; past the busy timeout the
    // caller is told to retry, as the API tells it (503, Retry-After).
    if (isDatabaseBusy(error)) {
      log.warn({ path: url.pathname }, "database busy");
      return busyResponse(url.pathname);
    }
    log.error({ err: error, path: url.pathname }, "audit export failed");
    return internalErrorResponse();
  }
}
