import { Breadcrumbs } from "@/components/breadcrumbs";
import { getDb } from "@/db/client";
import { PolicyEditor } from "@/components/policy-editor";
import { readPolicy } from "@/lib/gate/policies";
import { loadOrNotFound, requirePageUser } from "@/lib/http/page-user";
import { roleCan } from "@/lib/permissions";
import { panel } from "@/components/ui-classes";

export const dynamic = "force-dynamic";

type Props = { params: Promise<{ name: string; environment: string }> };

export default async function PolicyPage({ params }: Props) {
  const user = await requirePageUser();
  const { name, environment } = await params;
  const policy = loadOrNotFound(() =>
    readPolicy(getDb(), { type: "user", user }, name, environment),
  );
  const canEdit = roleCan(user.role, "policies:write");

  return (
    <div className="space-y-4">
      <header>
        <Breadcrumbs model={name} />
        <h1 className="text-2xl font-semibold">
          {environment} policy of {name}
        </h1>
        <p className="text-sm text-gray-600 dark:text-gray-400">
          {policy.revision
            ? `Revision ${policy.revision} (${policy.scope})`
            : "No saved policy yet: the built-in default applies"}
          . Every request records the revision it was judged under.
        </p>
      </header>
      {canEdit ? (
        <PolicyEditor model={name} environment={environment} initialSource={policy.source} />
      ) : (
        <>
          <p className="text-sm">Only leads and admins can change policies.</p>
          <pre className={`overflow-x-auto p-3 text-sm ${panel}`}>{policy.source}</pre>
        </>
      )}
    </div>
  );
}
