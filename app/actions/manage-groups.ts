"use server";
// Auth: actionWithUser reads the session's user from the database; the permission
// check runs inside the lib function that makes the change.
// Group and environment management for leads and admins. Each call goes
// through actionWithUser; the role check is inside the lib function that
// makes the change.
import { revalidatePath } from "next/cache";
import { z } from "zod";
import { getDb } from "@/db/client";
import { createEnvironment } from "@/lib/gate/environments";
import { changeGroupMember, createGroup } from "@/lib/gate/groups";
import { actionWithUser, type ActionState } from "@/lib/http/server-action";

const create = actionWithUser(
  "create-group",
  z.object({ name: z.string().trim().max(40) }),
  (data, user) => {
    createGroup(getDb(), { type: "user", user }, data.name);
    revalidatePath("/settings");
    return `Created group ${data.name}.`;
  },
);

const member = actionWithUser(
  "change-group-member",
  z.object({
    group: z.string().max(40),
    email: z.string().trim().max(200),
    change: z.enum(["add", "remove"]),
  }),
  (data, user) => {
    changeGroupMember(getDb(), { type: "user", user }, data);
    revalidatePath("/settings");
    return data.change === "add"
      ? `Added ${data.email} to ${data.group}.`
      : `Removed ${data.email} from ${data.group}.`;
  },
);

const environment = actionWithUser(
  "create-environment",
  z.object({ name: z.string().trim().max(40) }),
  (data, user) => {
    createEnvironment(getDb(), { type: "user", user }, data.name);
    revalidatePath("/", "layout");
    return `Added environment ${data.name}.`;
  },
);

export async function createGroupAction(prev: ActionState, form: FormData) {
  return create(prev, form);
}

export async function changeGroupMemberAction(prev: ActionState, form: FormData) {
  return member(prev, form);
}

export async function createEnvironmentAction(prev: ActionState, form: FormData) {
  return environment(prev, form);
}
