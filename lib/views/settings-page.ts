// Groups and environments, for the leads and admins who manage them.
import type { Db } from "@/db/client";
import { listEnvironments } from "@/db/queries/environments";
import { listGroups, listMembersOfGroup } from "@/db/queries/groups";
import { listUsers } from "@/db/queries/users";
import type { User } from "@/db/schema";
import { requirePermission } from "@/lib/gate/actor";

export function getSettingsPage(db: Db, user: User) {
  requirePermission({ type: "user", user }, "groups:manage");
  return {
    groups: listGroups(db).map((g) => ({
      name: g.name,
      members: listMembersOfGroup(db, g.id).map((u) => ({ email: u.email, name: u.name })),
    })),
    environments: listEnvironments(db).map((e) => e.name),
    people: listUsers(db)
      // Viewers never decide, so a group is no place for them.
      .filter((u) => !u.disabled && u.role !== "viewer")
      .map((u) => ({ email: u.email, name: u.name, role: u.role })),
  };
}
