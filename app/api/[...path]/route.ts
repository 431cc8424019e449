import { notFound } from "@/lib/errors";
import { problemResponse } from "@/lib/http/problem";

// ALL /api/* not matched by a route – a problem+json 404 instead of an HTML page
function unknownRoute(req: Request): Response {
  const path = new URL(req.url).pathname;
  return problemResponse(
    notFound("route", `No API route ${req.method} ${path}; the routes are listed in the README.`),
    path,
  );
}

export { unknownRoute as GET, unknownRoute as POST, unknownRoute as PUT };
export { unknownRoute as PATCH, unknownRoute as DELETE };
