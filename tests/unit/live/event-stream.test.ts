// The stream each open page holds: change events, a keep-alive, and an end
// when the server shuts down so it can exit.
import { afterEach, describe, expect, it } from "vitest";
import { beginShutdown } from "@/lib/gate/request-events";
import { requestApproval } from "@/lib/gate/requests";
import { registerVersion } from "@/lib/gate/versions";
import { liveEventStream } from "@/lib/live/event-stream";
import { changeUser } from "@/lib/gate/users";
import { cast, memoryDb, userActor, type TestDb } from "../helpers/test-db";

let open: TestDb | undefined;
afterEach(() => {
  open?.close();
  open = undefined;
});

/** Reads the stream until `until` matches the text so far, or the stream ends. */
async function readUntil(body: ReadableStream<Uint8Array>, until: (text: string) => boolean) {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let text = "";
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return { text, ended: true, reader };
    text += decoder.decode(value);
    if (until(text)) return { text, ended: false, reader };
  }
}

describe("the live event stream", () => {
  it("sends a change event naming a new request", async () => {
    open = memoryDb();
    const people = cast(open.db);
    const lead = userActor(people.lead);
    const abort = new AbortController();
    const response = liveEventStream(open.db, people.viewer.id, abort.signal);
    expect(response.headers.get("content-type")).toContain("text/event-stream");
    expect(response.headers.get("cache-control")).toContain("no-transform");
    registerVersion(open.db, lead, "churn", { metrics: [] });
    requestApproval(open.db, lead, "churn", 1, { environment: "production" });
    const { text, reader } = await readUntil(response.body!, (t) => t.includes("event: change"));
    expect(text).toMatch(/retry: \d+/);
    expect(text).toContain('"model":"churn","version":1');
    abort.abort();
    expect((await reader.read()).done).toBe(true);
  });

  it("sends a keep-alive comment while nothing changes", async () => {
    open = memoryDb();
    const people = cast(open.db);
    const abort = new AbortController();
    const response = liveEventStream(open.db, people.viewer.id, abort.signal, 50);
    const { text } = await readUntil(response.body!, (t) => t.includes(": keep-alive"));
    expect(text).toContain(": keep-alive\n\n");
    abort.abort();
  });

  it("ends at the next change once the person is disabled, even if enabled again", async () => {
    open = memoryDb();
    const people = cast(open.db);
    const lead = userActor(people.lead);
    const response = liveEventStream(open.db, people.viewer.id, new AbortController().signal);
    await new Promise((resolve) => setTimeout(resolve, 5));
    changeUser(open.db, "test", people.viewer.email, { disabled: true });
    changeUser(open.db, "test", people.viewer.email, { disabled: false });
    registerVersion(open.db, lead, "churn", { metrics: [] });
    requestApproval(open.db, lead, "churn", 1, { environment: "production" });
    const { text, ended } = await readUntil(response.body!, (t) => t.includes("event: change"));
    expect(ended).toBe(true);
    expect(text).not.toContain("event: change");
  });

  it("ends every open stream when the server begins to shut down", async () => {
    open = memoryDb();
    const people = cast(open.db);
    const response = liveEventStream(open.db, people.viewer.id, new AbortController().signal);
    setTimeout(beginShutdown, 50);
    const { ended } = await readUntil(response.body!, () => false);
    expect(ended).toBe(true);
  });
});
