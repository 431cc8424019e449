// Loads what a call names, or says exactly what does not exist (404).
import type { DbOrTx } from "@/db/client";
import { getEnvironmentByName } from "@/db/queries/environments";
import { getModelByName } from "@/db/queries/models";
import { getVersionByNumber } from "@/db/queries/versions";
import { notFound } from "@/lib/errors";

export function getModelOrThrow(db: DbOrTx, name: string) {
  const model = getModelByName(db, name);
  if (!model) throw notFound("model", `No model named "${name}".`);
  return model;
}

export function getVersionOrThrow(db: DbOrTx, name: string, number: number) {
  const model = getModelOrThrow(db, name);
  const version = getVersionByNumber(db, model.id, number);
  if (!version) throw notFound("version", `Model "${name}" has no version ${number}.`);
  return { model, version };
}

export function getEnvironmentOrThrow(db: DbOrTx, name: string) {
  const environment = getEnvironmentByName(db, name);
  if (!environment) throw notFound("environment", `No environment named "${name}".`);
  return environment;
}
