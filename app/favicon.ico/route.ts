// Browsers and crawlers still ask for /favicon.ico without reading the page's
// <link rel="icon">; send them to the app's one icon (app/icon.svg).
export function GET(req: Request): Response {
  return Response.redirect(new URL("/icon.svg", req.url), 308);
}
