import { asc, eq } from "drizzle-orm";
import type { DbOrTx } from "../client";
import { environments, type Environment } from "../schema";

export function getEnvironmentByName(db: DbOrTx, name: string): Environment | undefined {
  return db.select().from(environments).where(eq(environments.name, name)).get();
}

export function listEnvironments(db: DbOrTx): Environment[] {
  return db.select().from(environments).orderBy(asc(environments.id)).all();
}

export function insertEnvironment(db: DbOrTx, name: string, at: Date): Environment {
  return db.insert(environments).values({ name, createdAt: at }).returning().get();
}

export function getEnvironmentById(db: DbOrTx, id: number): Environment | undefined {
  return db.select().from(environments).where(eq(environments.id, id)).get();
}
