import { spawnSync } from "node:child_process";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { clientAddress, trustedProxyHops } from "@/lib/http/client-address";

const xff = (value: string) => new Headers({ "x-forwarded-for": value });

describe("the client address", () => {
  it("is the socket address the preload wrote, without TRUST_PROXY", () => {
    expect(clientAddress(xff("192.0.2.10"), {})).toBe("192.0.2.10");
  });

  it("is the entry the nearest trusted proxy added, never one the client wrote", () => {
    const env = { TRUST_PROXY: "1" };
    expect(clientAddress(xff("6.6.6.6, 192.0.2.10"), env)).toBe("192.0.2.10");
    expect(clientAddress(xff("6.6.6.6, 192.0.2.10, 10.0.0.2"), { TRUST_PROXY: "2" })).toBe(
      "192.0.2.10",
    );
  });

  it("reads TRUST_PROXY as a number of proxies, anything else as none", () => {
    expect(trustedProxyHops({})).toBe(0);
    expect(trustedProxyHops({ TRUST_PROXY: "true" })).toBe(1);
    expect(trustedProxyHops({ TRUST_PROXY: "2" })).toBe(2);
    expect(trustedProxyHops({ TRUST_PROXY: "yes please" })).toBe(0);
  });
});

describe("the server preload", () => {
  const preload = path.join(process.cwd(), "scripts", "client-address-preload.cjs");
  // A tiny server behind the preload answers with the X-Forwarded-For it received.
  const script = `
    const http = require("node:http");
    const server = http.createServer((req, res) => res.end(String(req.headers["x-forwarded-for"])));
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      http.get({ port, host: "127.0.0.1", headers: { "x-forwarded-for": "6.6.6.6" } }, (res) => {
        let body = ""; res.on("data", (c) => (body += c));
        res.on("end", () => { process.stdout.write(body); server.close(); });
      });
    });`;
  const run = (env: Record<string, string>) =>
    spawnSync(process.execPath, ["--require", preload, "-e", script], {
      env: { ...process.env, TRUST_PROXY: "", ...env },
      encoding: "utf8",
    }).stdout;

  it("replaces a client's own X-Forwarded-For with the socket address", () => {
    expect(run({})).toBe("127.0.0.1");
  });

  it("keeps the header when TRUST_PROXY names a proxy in front", () => {
    expect(run({ TRUST_PROXY: "1" })).toBe("6.6.6.6");
  });
});
