import { describe, expect, it } from "vitest";
import { httpUrl } from "@/lib/views/safe-url";
import { sourceLinksOf } from "@/lib/views/source-links";

const version = {
  sourceUri: null,
  runId: null,
  commit: null,
  pipelineRunUrl: null,
  tags: {} as Record<string, string>,
};

describe("httpUrl", () => {
  it.each([
    "javascript:alert(1)",
    " JavaScript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "vbscript:msgbox",
    "//evil.example.com/x",
    "/relative/path",
    "s3://bucket/model.pkl",
    "",
  ])("refuses %j", (value) => {
    expect(httpUrl(value)).toBeNull();
  });

  it("accepts http and https addresses", () => {
    expect(httpUrl("https://ci.example.com/runs/1")).toBe("https://ci.example.com/runs/1");
    expect(httpUrl("http://ci.example.com")).toBe("http://ci.example.com/");
  });
});

describe("sourceLinksOf", () => {
  it("keeps a commit as text without a repository tag", () => {
    const [commit] = sourceLinksOf({ ...version, commit: "abc1234" });
    expect(commit).toMatchObject({ label: "Commit", text: "abc1234", href: null });
  });

  it("does not build a commit link from something that is not a SHA", () => {
    const [commit] = sourceLinksOf({
      ...version,
      commit: "../../evil",
      tags: { repository_url: "https://github.com/acme/fraud" },
    });
    expect(commit?.href).toBeNull();
  });

  it("does not link a run through a javascript: run_url tag", () => {
    const [run] = sourceLinksOf({ ...version, runId: "r1", tags: { run_url: "javascript:x" } });
    expect(run?.href).toBeNull();
  });

  it("links a run through an https run_url tag", () => {
    const [run] = sourceLinksOf({
      ...version,
      runId: "r1",
      tags: { run_url: "https://mlflow.example.com/#/runs/r1" },
    });
    expect(run?.href).toBe("https://mlflow.example.com/#/runs/r1");
  });
});
