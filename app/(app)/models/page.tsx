import Link from "next/link";
import { getDb } from "@/db/client";
import { requirePageUser } from "@/lib/http/page-user";
import { listModelsForUser } from "@/lib/views/model-page";
import { panel, textLink } from "@/components/ui-classes";

export const dynamic = "force-dynamic";

export default async function ModelsPage() {
  const user = await requirePageUser();
  const models = listModelsForUser(getDb(), user);
  return (
    <div>
      <h1 className="mb-4 text-2xl font-semibold">Models</h1>
      {models.length === 0 ? (
        <p className="text-sm">
          No model has been registered yet. Pipelines register versions through the API.
        </p>
      ) : (
        <ul className={`divide-y divide-gray-200 dark:divide-gray-800 ${panel}`}>
          {models.map((m) => (
            <li key={m.id} className="flex items-center justify-between gap-3 p-3">
              <Link href={`/models/${m.name}`} className={`font-medium ${textLink}`}>
                {m.name}
              </Link>
              <span className="shrink-0 text-sm text-gray-600 dark:text-gray-400">
                {m.versionCount} version{m.versionCount === 1 ? "" : "s"}
                {m.latestVersion ? `, latest v${m.latestVersion}` : ""}
              </span>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
