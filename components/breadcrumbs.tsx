import Link from "next/link";

/** "Models / fraud-detector /" above a page title: where this page sits. */
export function Breadcrumbs({ model }: { model?: string }) {
  const link = "hover:underline";
  return (
    <nav aria-label="Breadcrumb" className="text-sm text-gray-600 wrap-anywhere dark:text-gray-400">
      <Link href="/models" className={link}>
        Models
      </Link>{" "}
      /{" "}
      {model ? (
        <>
          <Link href={`/models/${model}`} className={link}>
            {model}
          </Link>{" "}
          /
        </>
      ) : null}
    </nav>
  );
}
