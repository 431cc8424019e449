import { getDb } from "@/db/client";
import {
  changeGroupMemberAction,
  createEnvironmentAction,
  createGroupAction,
} from "@/app/actions/manage-groups";
import { ActionForm } from "@/components/action-form";
import { loadOrRefuse, requirePageUser } from "@/lib/http/page-user";
import { getSettingsPage } from "@/lib/views/settings-page";

export const dynamic = "force-dynamic";

const input =
  "rounded border border-gray-300 bg-white p-1.5 text-sm dark:border-gray-700 dark:bg-gray-900";

export default async function SettingsPage() {
  const user = await requirePageUser();
  const loaded = await loadOrRefuse(user, "/settings", () => getSettingsPage(getDb(), user));
  if (!loaded.ok) {
    return (
      <p className="text-sm" role="alert">
        Groups and environments are managed by leads and admins. {loaded.why}
      </p>
    );
  }
  const page = loaded.page;
  return (
    <div className="space-y-8">
      <section aria-labelledby="groups-heading" className="space-y-3">
        <h1 id="groups-heading" className="text-2xl font-semibold">
          Groups
        </h1>
        <p className="text-sm text-gray-600 dark:text-gray-400">
          Policies name groups as approvers with <code>group:NAME</code>.
        </p>
        <ActionForm action={createGroupAction} label="Create group" submit="Create group">
          <label className="text-sm">
            Name <input name="name" required className={input} />
          </label>
        </ActionForm>
        {page.groups.map((g) => (
          <div key={g.name} className="rounded border border-gray-200 p-3 dark:border-gray-800">
            <h2 className="font-medium">group:{g.name}</h2>
            <ul className="my-2 text-sm">
              {g.members.length === 0 ? (
                <li className="text-gray-600 dark:text-gray-400">No members yet.</li>
              ) : null}
              {g.members.map((m) => (
                <li key={m.email}>
                  {m.name} ({m.email})
                </li>
              ))}
            </ul>
            <ActionForm
              action={changeGroupMemberAction}
              label={`Change members of ${g.name}`}
              submit="Apply"
            >
              <input type="hidden" name="group" value={g.name} />
              <label className="text-sm">
                Person{" "}
                <select name="email" className={input}>
                  {page.people.map((p) => (
                    <option key={p.email} value={p.email}>
                      {p.name} ({p.role})
                    </option>
                  ))}
                </select>
              </label>
              <label className="text-sm">
                Change{" "}
                <select name="change" className={input}>
                  <option value="add">add</option>
                  <option value="remove">remove</option>
                </select>
              </label>
            </ActionForm>
          </div>
        ))}
      </section>
      <section aria-labelledby="environments-heading" className="space-y-3">
        <h2 id="environments-heading" className="text-2xl font-semibold">
          Environments
        </h2>
        <p className="text-sm">{page.environments.join(", ")}</p>
        <ActionForm
          action={createEnvironmentAction}
          label="Add environment"
          submit="Add environment"
        >
          <label className="text-sm">
            Name <input name="name" required className={input} />
          </label>
        </ActionForm>
      </section>
    </div>
  );
}
