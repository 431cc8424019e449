import { and, asc, eq } from "drizzle-orm";
import type { DbOrTx } from "../client";
import { groupMembers, groups, users, type Group, type User } from "../schema";

export function getGroupByName(db: DbOrTx, name: string): Group | undefined {
  return db.select().from(groups).where(eq(groups.name, name)).get();
}

export function insertGroup(db: DbOrTx, name: string, at: Date): Group {
  return db.insert(groups).values({ name, createdAt: at }).returning().get();
}

export function listGroups(db: DbOrTx): Group[] {
  return db.select().from(groups).orderBy(asc(groups.name)).all();
}

export function groupNamesOfUser(db: DbOrTx, userId: number): string[] {
  return db
    .select({ name: groups.name })
    .from(groupMembers)
    .innerJoin(groups, eq(groups.id, groupMembers.groupId))
    .where(eq(groupMembers.userId, userId))
    .orderBy(asc(groups.name))
    .all()
    .map((r) => r.name);
}

export function listMembersOfGroup(db: DbOrTx, groupId: number): User[] {
  return db
    .select({ user: users })
    .from(groupMembers)
    .innerJoin(users, eq(users.id, groupMembers.userId))
    .where(eq(groupMembers.groupId, groupId))
    .orderBy(asc(users.email))
    .all()
    .map((r) => r.user);
}

/** Adds a member; returns false when they already were one. */
export function insertGroupMember(db: DbOrTx, groupId: number, userId: number, at: Date): boolean {
  const result = db
    .insert(groupMembers)
    .values({ groupId, userId, createdAt: at })
    .onConflictDoNothing()
    .run();
  return result.changes > 0;
}

/** Removes a member; returns false when they were not one. */
export function deleteGroupMember(db: DbOrTx, groupId: number, userId: number): boolean {
  const result = db
    .delete(groupMembers)
    .where(and(eq(groupMembers.groupId, groupId), eq(groupMembers.userId, userId)))
    .run();
  return result.changes > 0;
}
