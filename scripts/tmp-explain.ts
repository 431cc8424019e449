import { openDatabase } from "@/db/client";
import { DEFAULT_FILTERS } from "@/lib/queue/filters";
import { getQueuePage, getQueueCounts } from "@/lib/views/queue";
const { db, sqlite } = openDatabase("/tmp/i5q-scale.db");
const seen: string[] = [];
const proto = Object.getPrototypeOf(sqlite.prepare("SELECT 1"));
for (const fn of ["all", "get", "run"]) {
  const orig = proto[fn];
  proto[fn] = function (this: any, ...args: any[]) {
    const t0 = performance.now();
    const r = orig.apply(this, args);
    const ms = performance.now() - t0;
    if (ms > Number(process.env.MIN_MS ?? 1) && !this.source.startsWith("EXPLAIN")) {
      const plan = sqlite.prepare("EXPLAIN QUERY PLAN " + this.source).all(...args);
      seen.push(
        `${ms.toFixed(1)}ms ${this.source.slice(0, 400)}\n  ${plan.map((x: any) => x.detail).join("\n  ")}`,
      );
    }
    return r;
  };
}
const u = { ...(sqlite.prepare("SELECT * FROM users LIMIT 1").get() as any), disabled: false };
const which = process.argv[2];
if (which === "counts") getQueueCounts(db, u);
else getQueuePage(db, u, { ...DEFAULT_FILTERS, ...(which ? JSON.parse(which) : {}) });
console.log(seen.join("\n\n"));
