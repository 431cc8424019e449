// Demo users and policies. The passwords below exist in demo databases only
// and are listed in the README.
import type { Db } from "@/db/client";
import { getUserByEmail } from "@/db/queries/users";
import { createUser } from "@/lib/gate/users";
import { hashPassword } from "@/lib/auth/passwords";
import { savePolicy } from "@/lib/gate/policies";
import type { Role } from "@/lib/roles";

export const DEMO_USERS: { email: string; name: string; role: Role; password: string }[] = [
  { email: "admin@example.com", name: "Ada Admin", role: "admin", password: "admin-demo-pass" },
  { email: "lead@example.com", name: "Lee Lead", role: "lead", password: "lead-demo-pass" },
  {
    email: "reviewer@example.com",
    name: "Rita Reviewer",
    role: "reviewer",
    password: "reviewer-demo-pass",
  },
  { email: "viewer@example.com", name: "Vic Viewer", role: "viewer", password: "viewer-demo-pass" },
];

export const DEMO_POLICIES: { model: string; environment: string; source: string }[] = [
  {
    model: "breast-cancer-screening",
    environment: "production",
    source: `# Screening must catch malignant tumours: recall matters most.
required_metrics: [accuracy, recall, roc_auc]
auto_approve:
  - accuracy >= 0.97
  - recall >= 0.95
  - roc_auc >= 0.99
auto_reject:
  - accuracy < 0.90
approvals:
  - name: ml-review
    approvers: [role:reviewer]
    count: 1
allow_self_approval: false
expires_after: 72h
on_reject: fail_pipeline
`,
  },
  {
    model: "wine-cultivar",
    environment: "production",
    source: `required_metrics: [accuracy, f1]
auto_approve:
  - accuracy >= 0.97
approvals:
  - approvers: [role:reviewer]
    count: 1
on_reject: fail_pipeline
`,
  },
];

/** Creates the demo users that do not exist yet; returns the admin. */
export async function seedDemoUsers(db: Db) {
  for (const u of DEMO_USERS) {
    if (getUserByEmail(db, u.email)) continue;
    const passwordHash = await hashPassword(u.password);
    createUser(db, { email: u.email, name: u.name, role: u.role, passwordHash }, "demo seed");
  }
  const admin = getUserByEmail(db, "admin@example.com");
  if (!admin) throw new Error("demo admin missing after seeding");
  return admin;
}

export async function seedDemo(db: Db) {
  const admin = await seedDemoUsers(db);
  for (const p of DEMO_POLICIES)
    savePolicy(db, { type: "user", user: admin }, p.model, p.environment, p.source);
  return { admin };
}
