// Route params for /models/{name}/versions/{version}, validated once.
import { parseInput, versionRef } from "@/lib/gate/inputs";

export function parseVersionRef(params: { name: string; version: string }) {
  const ref = parseInput(versionRef, params, "path");
  return { name: ref.name, version: ref.version };
}
