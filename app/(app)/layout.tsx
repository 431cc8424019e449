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
      <Nav user={user} counts={counts} />
      <main className="mx-auto max-w-6xl px-4 py-6 break-words">
        <LiveUpdates />
        {children}
      </main>
    </>
  );
}
