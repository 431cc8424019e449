// Starts the built app (`next start`) as a child process and waits until it
// answers, forwarding Ctrl-C and SIGTERM so the server drains and exits.
import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";

export function startNextServer(opts: {
  port: string;
  url: string;
  dbFile: string;
  secret: string;
}): ChildProcess {
  const env = {
    ...process.env,
    NEXTAUTH_SECRET: opts.secret,
    NEXTAUTH_URL: opts.url,
    DATABASE_URL: opts.dbFile,
  };
  // The preload makes X-Forwarded-For the socket's address unless TRUST_PROXY
  // is set (lib/http/client-address.ts explains why).
  const preload = path.join(__dirname, "client-address-preload.cjs");
  const server = spawn(
    process.execPath,
    ["--require", preload, require.resolve("next/dist/bin/next"), "start", "-p", opts.port],
    {
      env,
      stdio: "inherit",
    },
  );
  for (const signal of ["SIGINT", "SIGTERM"] as const)
    process.on(signal, () => server.kill(signal));
  server.on("exit", (code) => process.exit(code ?? 0));
  return server;
}

export async function waitUntilReady(url: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      if ((await fetch(`${url}/api/health`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 300));
  }
  throw new Error(`the server did not answer ${url}/api/health within ${timeoutMs / 1000} s`);
}
