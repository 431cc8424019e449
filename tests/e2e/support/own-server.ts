// A server of the spec's own, on a free port and its own database file, for
// tests that kill or stop it (the shared e2e server must stay up).
import { spawn, type ChildProcess } from "node:child_process";
import crypto from "node:crypto";
import net from "node:net";
import path from "node:path";

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

export type OwnServer = { url: string; child: ChildProcess; exited: Promise<number | null> };

const secret = crypto.randomBytes(32).toString("hex");

/** Starts `next start` (with the address preload) on dbFile and waits for /api/health. */
export async function startOwnServer(dbFile: string, port: number): Promise<OwnServer> {
  const url = `http://127.0.0.1:${port}`;
  const preload = path.join(process.cwd(), "scripts", "client-address-preload.cjs");
  const next = path.join(process.cwd(), "node_modules", "next", "dist", "bin", "next");
  const child = spawn(process.execPath, ["--require", preload, next, "start", "-p", String(port)], {
    env: {
      ...process.env,
      DATABASE_URL: dbFile,
      NEXTAUTH_SECRET: secret,
      NEXTAUTH_URL: url,
      LOG_LEVEL: "warn",
    },
    stdio: ["ignore", "ignore", "inherit"],
  });
  const exited = new Promise<number | null>((resolve) =>
    child.on("exit", (code, signal) => resolve(code ?? (signal ? -1 : null))),
  );
  const deadline = Date.now() + 90_000;
  while (Date.now() < deadline) {
    try {
      if ((await fetch(`${url}/api/health`)).ok) return { url, child, exited };
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  child.kill("SIGKILL");
  throw new Error(`the server on ${url} did not become ready`);
}
