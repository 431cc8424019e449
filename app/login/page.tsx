import { Suspense } from "react";
import { LoginForm } from "@/components/login-form";
import { panel } from "@/components/ui-classes";

export default function LoginPage() {
  return (
    <main className={`mx-auto mt-24 max-w-sm p-8 shadow-sm ${panel}`}>
      <h1 className="mb-1 text-xl font-semibold">Model approval gate</h1>
      <p className="mb-6 text-sm text-gray-600 dark:text-gray-400">
        Sign in to review model versions.
      </p>
      <Suspense>
        <LoginForm />
      </Suspense>
    </main>
  );
}
