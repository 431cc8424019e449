import Link from "next/link";
import type { User } from "@/db/schema";
import { roleCan } from "@/lib/permissions";
import { SignOutButton } from "./sign-out-button";

export function Nav({ user, waiting }: { user: User; waiting: number }) {
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
          Review queue
          {waiting > 0 ? (
            <span className="ml-1 rounded-full bg-amber-200 px-2 text-amber-900">{waiting}</span>
          ) : null}
        </Link>
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
