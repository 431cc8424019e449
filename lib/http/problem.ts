// Errors leave the API as application/problem+json (RFC 9457) with a stable
// code, the status, and a message that says what to fix.
import { AppError } from "@/lib/errors";

export function problemResponse(error: AppError, instance?: string): Response {
  const body = {
    type: `https://model-approval-gate.dev/problems/${error.code.replace(":", "/")}`,
    title: error.code,
    status: error.status,
    code: error.code,
    detail: error.message,
    ...(error.errors.length > 0 ? { errors: error.errors } : {}),
    ...(instance ? { instance } : {}),
  };
  return new Response(JSON.stringify(body), {
    status: error.status,
    headers: { "content-type": "application/problem+json" },
  });
}

export function internalErrorResponse(): Response {
  return problemResponse(
    new AppError("internal:error", "Internal error; the server log has the details."),
  );
}

/** 503 with Retry-After: the database stayed locked past the busy timeout. */
export function busyResponse(instance?: string): Response {
  const response = problemResponse(
    new AppError("unavailable:database_busy", "The database is busy; try again in a second."),
    instance,
  );
  response.headers.set("retry-after", "1");
  return response;
}
