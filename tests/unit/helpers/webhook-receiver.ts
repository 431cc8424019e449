// A real HTTP receiver on 127.0.0.1 that checks every delivery's signature
// with the standardwebhooks library, the way a subscriber would, and answers
// with the statuses it is told to (200 once they run out).
import http from "node:http";
import type { AddressInfo } from "node:net";
import { Webhook } from "standardwebhooks";

export type Received = {
  headers: Record<string, string>;
  body: string;
  /** The verified, parsed body; null when the signature did not verify. */
  event: unknown;
  verifyError: string | null;
  answered: number;
};

export type Receiver = Awaited<ReturnType<typeof startReceiver>>;

export async function startReceiver(options: { answers?: number[]; hang?: boolean } = {}) {
  const received: Received[] = [];
  const state = { secret: "" };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      if (options.hang) return;
      const body = Buffer.concat(chunks).toString("utf8");
      const headers = Object.fromEntries(
        Object.entries(req.headers).map(([k, v]) => [
          k,
          Array.isArray(v) ? v.join(",") : (v ?? ""),
        ]),
      );
      let event: unknown = null;
      let verifyError: string | null = null;
      try {
        event = new Webhook(state.secret).verify(body, headers);
      } catch (error) {
        verifyError = (error as Error).message;
      }
      const answered = verifyError ? 401 : (options.answers?.[received.length] ?? 200);
      received.push({ headers, body, event, verifyError, answered });
      res.writeHead(answered).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/approval-events`,
    received,
    /** Set once the webhook exists: the secret the receiver verifies with. */
    useSecret: (secret: string) => {
      state.secret = secret;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
