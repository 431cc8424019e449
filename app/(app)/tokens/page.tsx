import {
  createPersonalTokenAction,
  createPipelineTokenAction,
  revokeTokenAction,
} from "@/app/actions/manage-tokens";
import { getDb } from "@/db/client";
import { ActionForm } from "@/components/action-form";
import { LocalTime } from "@/components/local-time";
import { loadOrRefuse, requirePageUser } from "@/lib/http/page-user";
import { getTokensPage, type TokenRow } from "@/lib/views/tokens-page";

export const dynamic = "force-dynamic";

const input =
  "rounded border border-gray-300 bg-white p-1.5 text-sm dark:border-gray-700 dark:bg-gray-900";

function TokenTable({ rows, caption }: { rows: TokenRow[]; caption: string }) {
  if (rows.length === 0)
    return <p className="text-sm text-gray-600 dark:text-gray-400">None yet.</p>;
  return (
    <div className="overflow-x-auto">
      <table className="w-full min-w-[44rem] text-left text-sm">
        <caption className="sr-only">{caption}</caption>
        <thead className="text-gray-600 dark:text-gray-400">
          <tr>
            <th className="pr-3">Name</th>
            <th className="pr-3">Prefix</th>
            <th className="pr-3">Scopes</th>
            <th className="pr-3">Expires</th>
            <th className="pr-3">Last used</th>
            <th className="pr-3">State</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {rows.map((t) => (
            <tr
              key={t.id}
              className="border-t border-gray-100 align-top dark:border-gray-800 [&>td]:py-2"
            >
              <td className="pr-3">
                {t.name}
                <span className="block text-xs text-gray-600 dark:text-gray-400">
                  {t.kind}
                  {t.owner ? ` · acts as ${t.owner}` : ""}
                </span>
              </td>
              <td className="pr-3 font-mono">{t.prefix}…</td>
              <td className="pr-3">{t.scopes.join(", ")}</td>
              <td className="pr-3">
                {t.expiresAt ? <LocalTime iso={t.expiresAt.toISOString()} /> : "never"}
              </td>
              <td className="pr-3">
                {t.lastUsedAt ? <LocalTime iso={t.lastUsedAt.toISOString()} /> : "never"}
              </td>
              <td className="pr-3">{t.state}</td>
              <td>
                {t.state === "active" ? (
                  <ActionForm action={revokeTokenAction} label={`Revoke ${t.name}`} submit="Revoke">
                    <input type="hidden" name="tokenId" value={t.id} />
                  </ActionForm>
                ) : null}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export default async function TokensPage() {
  const user = await requirePageUser();
  const loaded = await loadOrRefuse(user, "/tokens", () => getTokensPage(getDb(), user));
  if (!loaded.ok) {
    return (
      <p className="text-sm" role="alert">
        API tokens are for reviewers, leads and admins. {loaded.why}
      </p>
    );
  }
  const page = loaded.page;
  return (
    <div className="space-y-8">
      <section aria-labelledby="personal" className="space-y-3">
        <h1 id="personal" className="text-2xl font-semibold">
          Your personal tokens
        </h1>
        <p className="text-sm text-gray-600 dark:text-gray-400">
          A personal token acts as you, for a chat bot or a script: it reads and decides through{" "}
          <code>POST /api/v1/requests/&#123;id&#125;/decisions</code> under the same rules as this
          dashboard, and loses its power the moment your role does.
        </p>
        <ActionForm
          action={createPersonalTokenAction}
          label="Create personal token"
          submit="Create token"
        >
          <label className="text-sm">
            Name <input name="name" required maxLength={80} className={input} />
          </label>
          <label className="text-sm">
            Expires after (days){" "}
            <input
              name="expiresInDays"
              type="number"
              min={1}
              max={3650}
              defaultValue={90}
              className={input}
            />
          </label>
        </ActionForm>
        <TokenTable rows={page.mine} caption="Your personal tokens" />
      </section>
      {page.admin ? (
        <section aria-labelledby="all" className="space-y-3">
          <h2 id="all" className="text-2xl font-semibold">
            All tokens
          </h2>
          <ActionForm
            action={createPipelineTokenAction}
            label="Create pipeline token"
            submit="Create pipeline token"
          >
            <label className="text-sm">
              Name <input name="name" required maxLength={80} className={input} />
            </label>
            <label className="text-sm">
              Expires after (days, empty for never){" "}
              <input name="expiresInDays" type="number" min={1} max={3650} className={input} />
            </label>
            <fieldset className="flex flex-wrap gap-2 text-sm">
              <legend className="sr-only">Scopes</legend>
              {/* decide needs a person behind the token: that is a personal token */}
              {page.scopes
                .filter((s) => s !== "decide")
                .map((s) => (
                  <label key={s}>
                    <input
                      type="checkbox"
                      name="scope"
                      value={s}
                      defaultChecked={["register", "request", "read", "deploy"].includes(s)}
                    />{" "}
                    {s}
                  </label>
                ))}
            </fieldset>
          </ActionForm>
          <TokenTable rows={page.all} caption="All tokens" />
        </section>
      ) : null}
    </div>
  );
}
