// The matrix must name every route handler and every server action: adding
// one without deciding who may call it fails here. Actions are looked for in
// app/, components/, lib/, db/ and the root files, in every export form.
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

// Server actions can live anywhere Next.js bundles from: these folders and
// the project's root files (instrumentation.ts and the like).
const SOURCE_DIRS = ["app", "components", "lib", "db"].map((d) => path.join(process.cwd(), d));
const ACTIONS_DIR = path.join(APP, "actions");

function sourceFiles(): string[] {
  const root = fs
    .readdirSync(process.cwd(), { withFileTypes: true })
    .filter((e) => e.isFile() && /\.(ts|tsx|js|mjs)$/.test(e.name))
    .map((e) => path.join(process.cwd(), e.name));
  return [
    ...root,
    ...SOURCE_DIRS.flatMap((dir) => files(dir, (n) => /\.(ts|tsx|js|mjs)$/.test(n))),
  ];
}

// Comments removed first, so a directive after a header comment still counts
// and a comment mentioning "use server" does not.
const withoutComments = (source: string) =>
  source.replace(/\/\*[\s\S]*?\*\//g, "").replace(/(^|[^:"'`])\/\/[^\n]*/g, "$1");
const DIRECTIVE = /["']use server["']/g;

/** A file whose first statement is "use server": every export is a server action. */
function isServerFile(source: string): boolean {
  return /^\s*["']use server["']/.test(withoutComments(source));
}

/** "use server" directives inside functions (inline server actions). */
function inlineDirectives(source: string): number {
  const all = withoutComments(source).match(DIRECTIVE)?.length ?? 0;
  return isServerFile(source) ? all - 1 : all;
}

/**
 * Every name a module exports at run time, however it is written:
 * `export (async) function`, `export const/let/var`, `export { a, b as c }`,
 * `export default`. Forms whose names cannot be read here (`export *`,
 * destructuring) come back as "?<form>" so they fail loudly.
 */
function exportedNames(source: string): string[] {
  const code = withoutComments(source);
  const names: string[] = [];
  const declared =
    /\bexport\s+(?!default\b)(?:declare\s+)?(?:async\s+)?(?:function\s*\*?|const|let|var|class)\s+([A-Za-z_$][\w$]*)/g;
  for (const m of code.matchAll(declared)) names.push(m[1]!);
  for (const m of code.matchAll(/\bexport\s+(?!type\b)\{([^}]*)\}/g)) {
    for (const part of m[1]!.split(",")) {
      const spec = part.trim();
      if (spec === "" || spec.startsWith("type ")) continue;
      names.push(
        spec
          .split(/\s+as\s+/)
          .at(-1)!
          .trim(),
      );
    }
  }
  if (/\bexport\s+default\b/.test(code)) names.push("default");
  if (/\bexport\s*\*/.test(code)) names.push("?export *");
  if (/\bexport\s+(?:const|let|var)\s*[{[]/.test(code)) names.push("?destructured export");
  return names;
}

/** "file.ts#name" for each export of each "use server" file. */
function serverActions(): string[] {
  const found = sourceFiles().filter((file) => isServerFile(fs.readFileSync(file, "utf8")));
  // Matrix entries name files by their base name, which is unique only within app/actions.
  expect(found.filter((f) => path.dirname(f) !== ACTIONS_DIR)).toEqual([]);
  return found.flatMap((file) =>
    exportedNames(fs.readFileSync(file, "utf8")).map((name) => `${path.basename(file)}#${name}`),
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

  // The guarantees rest on every check living where the change is made; a
  // middleware (or Next 16's proxy) doing access checks would change that,
  // and docs/security.md with it.
  it("finds no middleware or proxy file", () => {
    const found = ["", "src/"].flatMap((dir) =>
      ["middleware", "proxy"].flatMap((name) =>
        ["ts", "tsx", "js", "mjs"]
          .map((ext) => `${dir}${name}.${ext}`)
          .filter((f) => fs.existsSync(path.join(process.cwd(), f))),
      ),
    );
    expect(found).toEqual([]);
  });

  it("finds no inline server action anywhere", () => {
    const inline = sourceFiles().filter(
      (file) => inlineDirectives(fs.readFileSync(file, "utf8")) > 0,
    );
    expect(inline).toEqual([]);
  });
});

// The scanner above is what keeps a new action from escaping the matrix, so
// it is checked against each way an action can be written.
describe("the server-action scanner", () => {
  const file = (body: string) => `// header comment\n/* and a block */\n"use server";\n${body}`;

  it.each([
    ["export async function", "export async function saveThing() {}", ["saveThing"]],
    ["export function", "export function plain() {}", ["plain"]],
    ["export const arrow", "export const saveThing = async (prev, form) => {};", ["saveThing"]],
    ["export const wrapped", "export const act = actionWithUser('x', schema, fn);", ["act"]],
    ["export let", "export let later = async () => {};", ["later"]],
    ["export list", "const a = async () => {};\nexport { a, a as renamed };", ["a", "renamed"]],
    ["export default", "export default async function () {}", ["default"]],
    ["re-export", 'export * from "./other";', ["?export *"]],
    ["destructured", "export const { a, b } = makeActions();", ["?destructured export"]],
    ["type only", "export type State = { ok: boolean };\nexport type { Other };", []],
  ])("finds the action in %s", (_form, body, names) => {
    expect(isServerFile(file(body))).toBe(true);
    expect(exportedNames(file(body))).toEqual(names);
  });

  it("tells a file-level directive from inline ones and from comments", () => {
    expect(isServerFile('import x from "y";\n"use server";')).toBe(false);
    expect(inlineDirectives('// says "use server" in a comment\nexport const a = 1;')).toBe(0);
    const inline = 'export function Page() {\n  async function act() { "use server"; }\n}';
    expect(inlineDirectives(inline)).toBe(1);
    expect(inlineDirectives(file("async function f() { 'use server'; }"))).toBe(1);
  });
});
