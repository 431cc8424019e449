// A model line is created on first use, by a registration or a policy.
import type { Tx } from "@/db/client";
import { appendAuditEvent } from "@/db/queries/audit";
import { getModelByName, insertModel } from "@/db/queries/models";
import { actorAudit, type Actor } from "./actor";

export function getOrCreateModel(tx: Tx, actor: Actor, name: string, at: Date) {
  const existing = getModelByName(tx, name);
  if (existing) return { model: existing, created: false };
  const model = insertModel(tx, name, at);
  appendAuditEvent(
    tx,
    {
      ...actorAudit(actor),
      action: "model.created",
      subjectType: "model",
      subjectId: model.id,
      modelId: model.id,
      summary: `created model ${name}`,
      details: null,
    },
    at,
  );
  return { model, created: true };
}
