import { getDb } from "@/db/client";
import { Nav } from "@/components/nav";
import { requirePageUser } from "@/lib/http/page-user";
import { getQueueForUser } from "@/lib/views/queue";

export const dynamic = "force-dynamic";

export default async function AppLayout({ children }: { children: React.ReactNode }) {
  const user = await requirePageUser();
  const { mine } = getQueueForUser(getDb(), user);
  return (
    <>
      <Nav user={user} waiting={mine.length} />
      <main className="mx-auto max-w-6xl px-4 py-6">{children}</main>
    </>
  );
}
