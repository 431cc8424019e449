// Which address a request came from, for rate limits and the audit log.
//
// Next.js fills X-Forwarded-For with the socket's address only when the
// request has none, so a client could name any address it liked. The server
// start-up (scripts/client-address-preload.cjs) therefore overwrites the
// header with the socket address unless TRUST_PROXY says how many proxies
// in front of the gate append to it; then the entry that many places from
// the right is the one the nearest trusted proxy saw.

/** TRUST_PROXY: the number of reverse proxies in front of the server (0, the default, for none). */
export function trustedProxyHops(env: Record<string, string | undefined> = process.env): number {
  const raw = (env.TRUST_PROXY ?? "").trim().toLowerCase();
  if (raw === "" || raw === "false" || raw === "0") return 0;
  if (raw === "true") return 1;
  const n = Number(raw);
  return Number.isInteger(n) && n > 0 && n < 10 ? n : 0;
}

type HeaderBag = Headers | Record<string, string | string[] | undefined>;

function header(headers: HeaderBag, name: string): string | null {
  if (headers instanceof Headers) return headers.get(name);
  const value = headers[name] ?? headers[name.toLowerCase()];
  return Array.isArray(value) ? value.join(",") : (value ?? null);
}

export function clientAddress(
  headers: HeaderBag,
  env: Record<string, string | undefined> = process.env,
): string {
  const entries = (header(headers, "x-forwarded-for") ?? "")
    .split(",")
    .map((e) => e.trim())
    .filter((e) => e !== "");
  const hops = trustedProxyHops(env);
  // With no proxy the preload left exactly one entry, the socket address.
  const picked = hops === 0 ? entries.at(-1) : entries.at(-hops);
  return picked ?? "unknown";
}
