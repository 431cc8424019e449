import Link from "next/link";
import { openApiDocument } from "@/lib/http/openapi";
import { textLink } from "@/components/ui-classes";

export const metadata = { title: "API reference · Model approval gate" };

type Operation = { summary?: string; responses?: Record<string, { description?: string }> };

// A readable view of /api/v1/openapi.json; the JSON is the contract.
export default function ApiDocsPage() {
  const doc = openApiDocument();
  const operations = Object.entries(doc.paths ?? {}).flatMap(([path, item]) =>
    Object.entries(item ?? {})
      .filter(([method]) => ["get", "post", "put", "patch", "delete"].includes(method))
      .map(([method, op]) => ({ path, method, op: op as Operation })),
  );
  return (
    <main className="mx-auto max-w-5xl space-y-4 px-4 py-8">
      <h1 className="text-2xl font-semibold">{doc.info.title}</h1>
      <p className="text-sm">
        {doc.info.description} Every call takes <code>Authorization: Bearer mag_…</code>. The
        machine-readable contract is{" "}
        <Link className={textLink} href="/api/v1/openapi.json">
          /api/v1/openapi.json
        </Link>{" "}
        (OpenAPI {doc.openapi}).
      </p>
      <ul className="space-y-3">
        {operations.map(({ path, method, op }) => (
          <li
            key={`${method} ${path}`}
            className="rounded border border-gray-200 p-3 dark:border-gray-800"
          >
            <p className="font-mono text-sm">
              <strong>{method.toUpperCase()}</strong> {path}
            </p>
            <p className="text-sm">{op.summary}</p>
            <p className="text-xs text-gray-600 dark:text-gray-400">
              {Object.entries(op.responses ?? {})
                .map(([code, r]) => `${code} ${r.description ?? ""}`)
                .join(" · ")}
            </p>
          </li>
        ))}
      </ul>
    </main>
  );
}
