"use client";
import { signOut } from "next-auth/react";

const linkLike =
  "rounded px-2 py-1 text-sm text-gray-600 hover:bg-gray-100 " +
  "dark:text-gray-300 dark:hover:bg-gray-800";

export function SignOutButton() {
  return (
    <button type="button" onClick={() => signOut({ callbackUrl: "/login" })} className={linkLike}>
      Sign out
    </button>
  );
}
