// Saving a policy revision for a model's environment. The text is validated
// before it is stored, so a stored revision always parses.
import type { Db, DbOrTx } from "@/db/client";
import { appendAuditEvent } from "@/db/queries/audit";
import { getOrCreateModel } from "./models";
import {
  DEFAULT_SCOPE,
  getCurrentPolicy,
  insertPolicyRevision,
  scopeKeyFor,
} from "@/db/queries/policies";
import { DEFAULT_POLICY_SOURCE, type Policy } from "@/lib/policy/policy";
import { logFor } from "@/lib/log";
import { parsePolicy, type PolicyError } from "@/lib/policy/parse-policy";
import { unsatisfiableRules } from "@/lib/approvals/quorum";
import { activePeople } from "./people";
import { actorAudit, actorColumns, requirePermission, type Actor } from "./actor";
import { MODEL_NAME, MODEL_NAME_RULE } from "./inputs";
import { getEnvironmentOrThrow, getModelOrThrow } from "./lookup";
import { writeTransaction } from "./transaction";
import { badRequest } from "@/lib/errors";
import { MAX_LENGTH } from "@/lib/limits";

const log = logFor("policies");

/**
 * Everything that makes a policy text unusable: its shape, and approval
 * rules that today's people could never satisfy (a gate that waits forever).
 */
export function validatePolicySource(
  db: DbOrTx,
  source: string,
): { ok: true; policy: Policy } | { ok: false; errors: PolicyError[] } {
  if (source.length > MAX_LENGTH.policySource) {
    const message = `(policy): must be at most ${MAX_LENGTH.policySource} characters`;
    return { ok: false, errors: [{ field: "(policy)", rule: "too_big", message, line: null }] };
  }
  const parsed = parsePolicy(source);
  if (!parsed.ok) return parsed;
  const errors = unsatisfiableRules(parsed.policy, activePeople(db)).map(
    ({ index, rule, eligible, shared }): PolicyError => {
      const need = `rule "${rule.name}" needs ${rule.count} distinct approval${rule.count === 1 ? "" : "s"}`;
      const why = shared
        ? `but the people who match ${rule.approvers.join(", ")} are needed by other rules ` +
          `too, and one person counts once (only ${eligible} left for it)`
        : `but only ${eligible} active ${eligible === 1 ? "person" : "people"} (reviewer or ` +
          `above) match ${rule.approvers.join(", ")}`;
      return {
        field: `approvals.${index}.count`,
        rule: "unsatisfiable",
        message: `approvals.${index}.count: ${need} ${why}`,
        line: parsed.lineOf(["approvals", index, "count"]) ?? parsed.lineOf(["approvals", index]),
      };
    },
  );
  return errors.length > 0 ? { ok: false, errors } : { ok: true, policy: parsed.policy };
}

/** The model's environment to save for; null saves the organisation default. */
export type PolicyTarget = { model: string; environment: string } | null;

export function savePolicy(
  db: Db,
  actor: Actor,
  modelName: string,
  environmentName: string,
  source: string,
) {
  return savePolicyRevision(db, actor, { model: modelName, environment: environmentName }, source);
}

export function saveDefaultPolicy(db: Db, actor: Actor, source: string) {
  return savePolicyRevision(db, actor, null, source);
}

function savePolicyRevision(db: Db, actor: Actor, target: PolicyTarget, source: string) {
  requirePermission(actor, "policies:write");
  if (target && !MODEL_NAME.test(target.model)) {
    throw badRequest("model_name", `Model names are ${MODEL_NAME_RULE}.`);
  }
  const checked = validatePolicySource(db, source);
  if (!checked.ok) {
    const lines = checked.errors.map((e) => (e.line ? `line ${e.line}: ${e.message}` : e.message));
    throw badRequest("policy", `The policy is invalid: ${lines.join("; ")}`, checked.errors);
  }
  const at = new Date();
  const by = actorColumns(actor);
  const row = writeTransaction(db, (tx) => {
    const environment = target ? getEnvironmentOrThrow(tx, target.environment) : null;
    // A team may write the policy before its pipeline registers anything.
    const model = target ? getOrCreateModel(tx, actor, target.model, at).model : null;
    const policy = insertPolicyRevision(
      tx,
      {
        scopeKey: model && environment ? scopeKeyFor(model.id, environment.id) : DEFAULT_SCOPE,
        modelId: model?.id ?? null,
        environmentId: environment?.id ?? null,
        source,
        createdByUserId: by.userId,
        createdByTokenId: by.tokenId,
      },
      at,
    );
    const what = target
      ? `${target.model}'s ${target.environment} policy`
      : "the organisation default policy";
    appendAuditEvent(
      tx,
      {
        ...actorAudit(actor),
        action: "policy.saved",
        subjectType: "policy",
        subjectId: policy.id,
        modelId: model?.id ?? null,
        summary: `saved ${what}, revision ${policy.revision}`,
        details: { environment: environment?.name ?? null, revision: policy.revision },
      },
      at,
    );
    return policy;
  });
  log.info({ ...target, revision: row.revision }, "policy saved");
  return row;
}

/** The organisation default, which applies where a model's environment has none. */
export function readDefaultPolicy(db: Db, actor: Actor) {
  requirePermission(actor, "models:read");
  const row = getCurrentPolicy(db, DEFAULT_SCOPE);
  return {
    scope: row ? "organisation default" : "built-in default",
    revision: row?.revision ?? null,
    source: row?.source ?? DEFAULT_POLICY_SOURCE,
    created_at: row?.createdAt.toISOString() ?? null,
  };
}

/** The policy that judges new requests for a model's environment, and where it comes from. */
export function readPolicy(db: Db, actor: Actor, modelName: string, environmentName: string) {
  requirePermission(actor, "models:read");
  const model = getModelOrThrow(db, modelName);
  const environment = getEnvironmentOrThrow(db, environmentName);
  const own = getCurrentPolicy(db, scopeKeyFor(model.id, environment.id));
  const row = own ?? getCurrentPolicy(db, DEFAULT_SCOPE);
  return {
    model: model.name,
    environment: environment.name,
    scope: own ? "environment" : row ? "organisation default" : "built-in default",
    revision: row?.revision ?? null,
    source: row?.source ?? DEFAULT_POLICY_SOURCE,
    created_at: row?.createdAt.toISOString() ?? null,
  };
}
