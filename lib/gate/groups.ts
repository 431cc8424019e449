// Groups of people that policies name as approvers (`group:risk`). Leads and
// admins manage them; every change is audited.
import type { Db, Tx } from "@/db/client";
import { getEnvironmentById } from "@/db/queries/environments";
import { getModelById } from "@/db/queries/models";
import { listCurrentPolicies } from "@/db/queries/policies";
import { unsatisfiableRules } from "@/lib/approvals/quorum";
import { parsePolicy } from "@/lib/policy/parse-policy";
import { activePeople } from "./people";
import { appendAuditEvent } from "@/db/queries/audit";
import {
  deleteGroupMember,
  getGroupByName,
  insertGroup,
  insertGroupMember,
} from "@/db/queries/groups";
import { getUserByEmail } from "@/db/queries/users";
import { badRequest, conflict, notFound } from "@/lib/errors";
import { logFor } from "@/lib/log";
import { actorAudit, requirePermission, type Actor } from "./actor";
import { writeTransaction } from "./transaction";

const log = logFor("groups");

export const GROUP_NAME = /^[a-z0-9][a-z0-9_-]{0,39}$/;

export function createGroup(db: Db, actor: Actor, name: string) {
  requirePermission(actor, "groups:manage");
  if (!GROUP_NAME.test(name)) {
    throw badRequest("group_name", "Group names are 1-40 lowercase letters, digits, '_' or '-'.", [
      {
        field: "name",
        rule: "group_name",
        message: "name: 1-40 lowercase letters, digits, _ or -",
      },
    ]);
  }
  const at = new Date();
  const group = writeTransaction(db, (tx) => {
    if (getGroupByName(tx, name)) throw conflict("group_exists", `Group ${name} already exists.`);
    const row = insertGroup(tx, name, at);
    appendAuditEvent(
      tx,
      {
        ...actorAudit(actor),
        action: "group.created",
        subjectType: "group",
        subjectId: row.id,
        modelId: null,
        summary: `created group ${name}`,
        details: null,
      },
      at,
    );
    return row;
  });
  log.info({ group: name }, "group created");
  return group;
}

export function changeGroupMember(
  db: Db,
  actor: Actor,
  input: { group: string; email: string; change: "add" | "remove" },
) {
  requirePermission(actor, "groups:manage");
  const at = new Date();
  writeTransaction(db, (tx) => {
    const group = getGroupByName(tx, input.group);
    if (!group) throw notFound("group", `No group named ${input.group}.`);
    const user = getUserByEmail(tx, input.email);
    if (!user) throw notFound("user", `No user with email ${input.email}.`);
    const changed =
      input.change === "add"
        ? insertGroupMember(tx, group.id, user.id, at)
        : deleteGroupMember(tx, group.id, user.id);
    if (!changed) {
      const state = input.change === "add" ? "already in" : "not in";
      throw conflict("group_member", `${user.email} is ${state} group ${group.name}.`);
    }
    if (input.change === "remove")
      refuseIfPoliciesBreak(tx, `removing ${user.email} from ${group.name}`);
    appendAuditEvent(
      tx,
      {
        ...actorAudit(actor),
        action: input.change === "add" ? "group.member_added" : "group.member_removed",
        subjectType: "group",
        subjectId: group.id,
        modelId: null,
        summary: `${input.change === "add" ? "added" : "removed"} ${user.email} ${
          input.change === "add" ? "to" : "from"
        } group ${group.name}`,
        details: { user_id: user.id },
      },
      at,
    );
  });
  log.info({ group: input.group, change: input.change }, "group membership changed");
}

/**
 * A change of people must not leave a policy in force that nobody can
 * satisfy: its requests would wait until they expire (or forever).
 */
function refuseIfPoliciesBreak(tx: Tx, what: string): void {
  const people = activePeople(tx);
  for (const row of listCurrentPolicies(tx)) {
    const parsed = parsePolicy(row.source);
    if (!parsed.ok) continue;
    const broken = unsatisfiableRules(parsed.policy, people)[0];
    if (!broken) continue;
    const model = row.modelId === null ? undefined : getModelById(tx, row.modelId);
    const env = row.environmentId === null ? undefined : getEnvironmentById(tx, row.environmentId);
    const where =
      model && env ? `${model.name}'s ${env.name} policy` : "the organisation default policy";
    throw conflict(
      "policy_unsatisfiable",
      `${what} would leave rule "${broken.rule.name}" of ${where} with ${broken.eligible} of ` +
        `${broken.rule.count} people it needs; change that policy first.`,
    );
  }
}
