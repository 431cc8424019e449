// Loaded with `node --require` before `next start` (see scripts/serve.ts and
// the start script): Next.js keeps a client's own X-Forwarded-For, which would
// let a caller pick the address its sign-in attempts are counted under. Unless
// TRUST_PROXY names proxies in front of the server, the header is replaced by
// the socket's address before Next.js sees the request.
const http = require("node:http");

const raw = String(process.env.TRUST_PROXY ?? "")
  .trim()
  .toLowerCase();
// The same reading as trustedProxyHops in lib/http/client-address.ts.
const hops = raw === "true" ? 1 : Number(raw);
const trusted = Number.isInteger(hops) && hops > 0 && hops < 10;

if (!trusted) {
  const emit = http.Server.prototype.emit;
  http.Server.prototype.emit = function (event, req, ...rest) {
    if (event === "request" && req && req.headers) {
      req.headers["x-forwarded-for"] = req.socket?.remoteAddress ?? "unknown";
    }
    return emit.call(this, event, req, ...rest);
  };
}
