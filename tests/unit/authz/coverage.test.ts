// The matrix must name every route handler and every server action: adding
// one without deciding who may call it fails here.
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { ACTION_MATRIX, ROUTE_MATRIX, ROUTES_ELSEWHERE } from "./matrix";

const APP = path.join(process.cwd(), "app");
const METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"];

function files(dir: string, keep: (name: string) => boolean): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return files(full, keep);
    return keep(entry.name) ? [full] : [];
  });
}

/** "METHOD /path" for each verb each route.ts exports, however it exports it. */
function routeHandlers(): string[] {
  return files(APP, (n) => /^route\.(ts|tsx|js)$/.test(n)).flatMap((file) => {
    const source = fs.readFileSync(file, "utf8");
    const route = "/" + path.relative(APP, path.dirname(file)).split(path.sep).join("/");
    return METHODS.filter((m) =>
      new RegExp(
        `export\\s+(const|function|async\\s+function)\\s+${m}\\b|\\bas\\s+${m}\\b|export\\s*\\{[^}]*\\b${m}\\b`,
      ).test(source),
    ).map((m) => `${m} ${route}`);
  });
}

/** "file.ts#name" for each function a "use server" file exports. */
function serverActions(): string[] {
  const dir = path.join(APP, "actions");
  const found = files(APP, (n) => /\.(ts|tsx)$/.test(n)).filter((file) =>
    /^\s*["']use server["']/.test(fs.readFileSync(file, "utf8")),
  );
  // Inline "use server" functions elsewhere would escape the matrix; keep them in app/actions.
  expect(found.every((f) => path.dirname(f) === dir)).toBe(true);
  return found.flatMap((file) =>
    [...fs.readFileSync(file, "utf8").matchAll(/export\s+(?:async\s+)?function\s+(\w+)/g)].map(
      (m) => `${path.basename(file)}#${m[1]}`,
    ),
  );
}

describe("the authorisation matrix", () => {
  it("has an entry for every route handler", () => {
    const inMatrix = [...ROUTE_MATRIX.map((e) => e.route), ...Object.keys(ROUTES_ELSEWHERE)];
    expect(routeHandlers().length).toBeGreaterThan(10);
    expect([...inMatrix].sort()).toEqual(routeHandlers().sort());
  });

  it("has an entry for every server action", () => {
    expect(serverActions().length).toBeGreaterThan(5);
    expect(ACTION_MATRIX.map((e) => e.action).sort()).toEqual(serverActions().sort());
  });

  it("finds no inline server action outside app/actions", () => {
    const inline = files(APP, (n) => /\.(ts|tsx)$/.test(n)).filter((file) =>
      /\n\s+["']use server["']/.test(fs.readFileSync(file, "utf8")),
    );
    expect(inline).toEqual([]);
  });
});
