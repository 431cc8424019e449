import Link from "next/link";
import type { User } from "@/db/schema";
import { roleCan } from "@/lib/permissions";
import { SignOutButton } from "./sign-out-button";

export function Nav({
  user,
  counts,
}: {
  user: User;
  counts: { waitingForYou: number; open: number };
}) {
  const link = "rounded px-2 py-1 hover:bg-gray-100 dark:hover:bg-gray-800";
  return (
    <header className="border-b border-gray-200 bg-white dark:border-gray-800 dark:bg-gray-900">
      <nav
        aria-label="Main"
        className="mx-auto flex max-w-6xl flex-wrap items-center gap-2 px-4 py-3 text-sm"
      >
        <Link href="/" className="mr-4 font-semibold">
          Approval gate
        </Link>
        <Link href="/" className={link}>
          Review queue{" "}
          <span className="text-gray-600 dark:text-gray-400" data-testid="nav-open-count">
            ({counts.open} open)
          </span>
        </Link>
        {counts.waitingForYou > 0 ? (
          <Link
            href="/?mine=1"
            className="rounded-full bg-amber-200 px-2 py-0.5 text-amber-950 hover:bg-amber-300"
            data-testid="nav-waiting-count"
          >
            {counts.waitingForYou} waiting for you
          </Link>
        ) : null}
        <Link href="/models" className={link}>
          Models
        </Link>
        {roleCan(user.role, "groups:manage") ? (
          <Link href="/settings" className={link}>
            Groups &amp; environments
          </Link>
        ) : null}
        {roleCan(user.role, "requests:decide") ? (
          <Link href="/tokens" className={link}>
            Tokens
          </Link>
        ) : null}
        {roleCan(user.role, "audit:read") ? (
          <Link href="/audit" className={link}>
            Audit history
          </Link>
        ) : null}
        {roleCan(user.role, "webhooks:manage") ? (
          <Link href="/admin/webhooks" className={link}>
            Webhooks
          </Link>
        ) : null}
        <span className="ml-auto text-gray-600 dark:text-gray-400">
          {user.name} · <span data-testid="current-role">{user.role}</span>
        </span>
        <SignOutButton />
      </nav>
    </header>
  );
}
