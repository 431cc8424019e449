import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { openApiDocument } from "@/lib/http/openapi";

const API = path.join(process.cwd(), "app/api/v1");
const METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"] as const;

/** Every route handler under app/api/v1, as "METHOD /api/v1/path/{param}". */
function routeHandlers(): string[] {
  const found: string[] = [];
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name === "route.ts") {
        const source = fs.readFileSync(full, "utf8");
        const route = path
          .relative(path.join(process.cwd(), "app"), path.dirname(full))
          .split(path.sep)
          .map((s) => s.replace(/^\[(.+)\]$/, "{$1}"))
          .join("/");
        for (const m of METHODS) {
          if (new RegExp(`export (const|function|async function) ${m}\\b`).test(source)) {
            found.push(`${m} /${route}`);
          }
        }
      }
    }
  };
  walk(API);
  return found.sort();
}

describe("the OpenAPI document", () => {
  it("is OpenAPI 3.1 with a bearer scheme", () => {
    const doc = openApiDocument();
    expect(doc.openapi).toBe("3.1.0");
    expect(doc.components?.securitySchemes).toHaveProperty("bearer");
  });

  it("describes every route handler under /api/v1, and nothing else", () => {
    const doc = openApiDocument();
    const documented = Object.entries(doc.paths ?? {})
      .flatMap(([p, item]) =>
        Object.keys(item ?? {})
          .filter((k) => METHODS.includes(k.toUpperCase() as (typeof METHODS)[number]))
          .map((k) => `${k.toUpperCase()} ${p}`),
      )
      .sort();
    expect(routeHandlers().length).toBeGreaterThan(5);
    expect(documented).toEqual(routeHandlers());
  });

  it("takes its request schemas from the handlers' zod inputs", () => {
    const doc = openApiDocument();
    const register = doc.paths?.["/api/v1/models/{name}/versions"]?.post;
    const body = register?.requestBody as { content: Record<string, { schema: unknown }> };
    const schema = JSON.stringify(body.content["application/json"]?.schema);
    expect(schema).toContain("source_uri");
    expect(schema).toContain("metrics");
  });
});
