// Row 4 of `npm run bench`: the queue, a model page and a version page on the
// large seeded database, fetched one after another as a signed-in reviewer:
// time to the whole HTML (p50, p99), and the JavaScript each page ships.
import { gzipSync } from "node:zlib";
import { encode } from "next-auth/jwt";
import { BENCH_SECONDS } from "./load";
import { timingSummary, type BenchRow } from "./report";
import { BENCH_SECRET } from "./server";

/** A next-auth session cookie for a user, as the sign-in would set it. */
export async function sessionCookie(user: { id: number; name: string; email: string }) {
  const value = await encode({
    token: { uid: user.id, sub: String(user.id), name: user.name, email: user.email },
    secret: BENCH_SECRET,
  });
  return `next-auth.session-token=${value}`;
}

/** targetMs: the p99 the page must meet (150 ms unless the row says otherwise). */
export type PageTarget = { label: string; paths: string[]; targetMs?: number };

async function timePage(base: string, cookie: string, paths: string[]) {
  const get = async (p: string) => {
    const started = performance.now();
    const res = await fetch(`${base}${p}`, { headers: { cookie }, redirect: "manual" });
    const html = await res.text();
    if (res.status !== 200) throw new Error(`${p} answered ${res.status}`);
    return { ms: performance.now() - started, html };
  };
  for (let i = 0; i < 5; i++) await get(paths[i % paths.length]!); // warm-up
  const samples: number[] = [];
  const end = performance.now() + BENCH_SECONDS * 1000;
  let html = "";
  for (let i = 0; samples.length < 20 || performance.now() < end; i++) {
    const r = await get(paths[i % paths.length]!);
    samples.push(r.ms);
    html = r.html;
  }
  return { ...timingSummary(samples), html };
}

/** Sums the <script src> chunks a page's HTML references, raw and gzip. */
export function scriptSources(html: string): string[] {
  const srcs = [...html.matchAll(/<script[^>]*\ssrc="([^"]+)"/g)].map((m) => m[1]!);
  return [...new Set(srcs.map((s) => s.replaceAll("&amp;", "&")))];
}

async function shippedJs(base: string, html: string) {
  let raw = 0;
  let gzip = 0;
  for (const src of scriptSources(html)) {
    const body = Buffer.from(await (await fetch(new URL(src, base))).arrayBuffer());
    raw += body.length;
    gzip += gzipSync(body).length;
  }
  return { raw, gzip, htmlRaw: Buffer.byteLength(html), htmlGzip: gzipSync(html).length };
}

const kb = (n: number) => `${Math.round(n / 1024)} kB`;

export async function pageRows(
  base: string,
  cookie: string,
  pages: PageTarget[],
): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  for (const page of pages) {
    const t = await timePage(base, cookie, page.paths);
    const js = await shippedJs(base, t.html);
    rows.push(
      { row: `4. ${page.label} p50`, measured: t.p50, unit: "ms" },
      {
        row: `4. ${page.label} p99`,
        measured: t.p99,
        unit: "ms",
        target: { on: "measured", op: "<=", value: page.targetMs ?? 150 },
        note: `${t.n} sequential fetches over ${page.paths.length} pages.`,
      },
      {
        row: `4. ${page.label} JS (gzip)`,
        measured: js.gzip / 1024,
        unit: "kB",
        note: `${kb(js.raw)} raw JavaScript; the HTML itself ${kb(js.htmlRaw)} raw, ${kb(js.htmlGzip)} gzip.`,
      },
    );
  }
  return rows;
}
