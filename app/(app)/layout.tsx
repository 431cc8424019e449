import { getDb } from "@/db/client";
import { LiveUpdates } from "@/components/live-updates";
import { Nav } from "@/components/nav";
import { requirePageUser } from "@/lib/http/page-user";
import { getQueueCounts } from "@/lib/views/queue";

export const dynamic = "force-dynamic";

export default async function AppLayout({ children }: { children: React.ReactNode }) {
  const user = await requirePageUser();
  const counts = getQueueCounts(getDb(), user);
  return (
    <>
      {/* First on the page, so a keyboard user need not tab through the navigation
          each time; tabIndex on main lets it take the focus. */}
      <a
        href="#main"
        className="sr-only rounded bg-white px-3 py-2 text-sm font-medium text-blue-800 underline focus:not-sr-only focus:absolute focus:top-2 focus:left-2 focus:z-50 dark:bg-gray-900 dark:text-blue-300"
      >
        Skip to main content
      </a>
      <Nav user={user} counts={counts} />
      <main
        id="main"
        tabIndex={-1}
        className="mx-auto max-w-6xl px-4 py-6 break-words outline-none"
      >
        <LiveUpdates />
        {children}
      </main>
    </>
  );
}
