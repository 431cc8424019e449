import { execFile } from "node:child_process";
import path from "node:path";
import { promisify } from "node:util";
import { afterEach, describe, expect, it } from "vitest";
import { listAuditEvents } from "@/db/queries/audit";
import { listMetricsOfVersion } from "@/db/queries/metrics";
import { getModelByName } from "@/db/queries/models";
import { listVersionsOfModel } from "@/db/queries/versions";
import { auditEvents, metrics, modelVersions, registeredModels } from "@/db/schema";
import { AppError } from "@/lib/errors";
import { addMetrics, registerVersion } from "@/lib/gate/versions";
import {
  addUser,
  fileDb,
  memoryDb,
  thrown,
  tokenActor,
  userActor,
  type TestDb,
} from "../helpers/test-db";

let open: TestDb | undefined;
afterEach(() => {
  open?.close();
  open = undefined;
});

function setup() {
  open = memoryDb();
  const { db } = open;
  const lead = userActor(addUser(db, "lead", "Leo Lead"));
  return { db, lead };
}

function rowCounts(db: TestDb["db"]) {
  return {
    models: db.select().from(registeredModels).all().length,
    versions: db.select().from(modelVersions).all().length,
    metrics: db.select().from(metrics).all().length,
  };
}

describe("registering versions", () => {
  it("numbers versions 1, 2, 3 per model", () => {
    const { db, lead } = setup();
    const numbers = [1, 2, 3].map(
      () => registerVersion(db, lead, "fraud-detector", {}).version.number,
    );
    expect(numbers).toEqual([1, 2, 3]);
  });

  it("numbers each model's versions independently", () => {
    const { db, lead } = setup();
    registerVersion(db, lead, "fraud-detector", {});
    registerVersion(db, lead, "fraud-detector", {});
    expect(registerVersion(db, lead, "churn", {}).version.number).toBe(1);
    expect(registerVersion(db, lead, "fraud-detector", {}).version.number).toBe(3);
  });

  it("creates the model on first registration only", () => {
    const { db, lead } = setup();
    expect(registerVersion(db, lead, "fraud-detector", {}).created).toBe(true);
    expect(registerVersion(db, lead, "fraud-detector", {}).created).toBe(false);
    expect(rowCounts(db).models).toBe(1);
  });

  it("stores the source, params, tags and metrics it was given", () => {
    const { db, lead } = setup();
    const { version } = registerVersion(db, lead, "fraud-detector", {
      source_uri: "s3://models/fraud/7",
      run_id: "run-7",
      commit: "abc123",
      pipeline_run_url: "https://ci.example.com/runs/7",
      params: { lr: 0.01, depth: 6, balanced: true, optimiser: "adam" },
      tags: { team: "risk" },
      metrics: [
        { name: "accuracy", value: 0.93, split: "test" },
        { name: "loss", value: 0.4, step: 1 },
      ],
    });
    expect(version).toMatchObject({
      sourceUri: "s3://models/fraud/7",
      runId: "run-7",
      commitSha: "abc123",
      pipelineRunUrl: "https://ci.example.com/runs/7",
      params: { lr: 0.01, depth: 6, balanced: true, optimiser: "adam" },
      tags: { team: "risk" },
    });
    const stored = listMetricsOfVersion(db, version.id).map((m) => [
      m.name,
      m.value,
      m.step,
      m.split,
    ]);
    expect(stored).toEqual([
      ["accuracy", 0.93, null, "test"],
      ["loss", 0.4, 1, null],
    ]);
  });

  it("records who registered: a token's owner and the token itself", () => {
    const { db } = setup();
    const owner = addUser(db, "reviewer", "Pia Pipeline");
    const { actor, id } = tokenActor(db, { owner });
    const { version } = registerVersion(db, actor, "fraud-detector", {});
    expect(version.submittedByUserId).toBe(owner.id);
    expect(version.submittedByTokenId).toBe(id);
  });

  it("writes audit events for the new model and the new version", () => {
    const { db, lead } = setup();
    registerVersion(db, lead, "fraud-detector", { metrics: [{ name: "auc", value: 0.9 }] });
    const actions = listAuditEvents(db, { beforeId: null, limit: 10 }).map((e) => [
      e.action,
      e.actorName,
    ]);
    expect(actions).toEqual([
      ["version.registered", "Leo Lead"],
      ["model.created", "Leo Lead"],
    ]);
  });

  it("gives 50 registrations started together consecutive numbers with no gaps or duplicates", async () => {
    const { db, lead } = setup();
    const results = await Promise.all(
      Array.from(
        { length: 50 },
        async () => registerVersion(db, lead, "fraud-detector", {}).version.number,
      ),
    );
    expect([...results].sort((a, b) => a - b)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
  });

  it("gives consecutive numbers when two connections to one database file interleave", async () => {
    const file = fileDb();
    open = file;
    const second = file.connect();
    const lead = userActor(addUser(file.db, "lead", "Leo Lead"));
    const registrations = Array.from({ length: 40 }, (_, i) => async () => {
      await Promise.resolve();
      const db = i % 2 === 0 ? file.db : second.db;
      return registerVersion(db, lead, "fraud-detector", { run_id: `run-${i}` }).version.number;
    });
    const numbers = await Promise.all(registrations.map((r) => r()));
    expect([...numbers].sort((a, b) => a - b)).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
    const model = getModelByName(second.db, "fraud-detector");
    const stored = listVersionsOfModel(file.db, model!.id).map((v) => v.number);
    expect(stored).toEqual(Array.from({ length: 40 }, (_, i) => 40 - i));
  });
});

describe("registering from several processes at once", () => {
  it("gives consecutive numbers with no gaps or duplicates", async () => {
    const file = fileDb();
    open = file;
    const lead = addUser(file.db, "lead", "Leo Lead");
    const run = promisify(execFile);
    const tsx = path.join(process.cwd(), "node_modules", ".bin", "tsx");
    const worker = path.join(process.cwd(), "tests", "unit", "helpers", "register-worker.ts");
    const outputs = await Promise.all(
      [0, 1, 2, 3].map(() =>
        run(tsx, [worker, file.file, String(lead.id), "fraud-detector", "15"], {
          cwd: process.cwd(),
          env: { ...process.env, LOG_LEVEL: "silent" },
        }),
      ),
    );
    const numbers = outputs.flatMap((o) => JSON.parse(o.stdout) as number[]);
    expect([...numbers].sort((a, b) => a - b)).toEqual(Array.from({ length: 60 }, (_, i) => i + 1));
    // Every process saw its own numbers rise: none reused a number.
    for (const o of outputs) {
      const own = JSON.parse(o.stdout) as number[];
      expect(own).toEqual([...own].sort((a, b) => a - b));
    }
  }, 20_000);

  it("keeps the audit hash chain unbroken when processes write at once", async () => {
    const file = fileDb();
    open = file;
    const lead = addUser(file.db, "lead", "Leo Lead");
    const run = promisify(execFile);
    const tsx = path.join(process.cwd(), "node_modules", ".bin", "tsx");
    const worker = path.join(process.cwd(), "tests", "unit", "helpers", "register-worker.ts");
    await Promise.all(
      ["alpha", "beta"].map((model) =>
        run(tsx, [worker, file.file, String(lead.id), model, "10"], {
          cwd: process.cwd(),
          env: { ...process.env, LOG_LEVEL: "silent" },
        }),
      ),
    );
    const events = file.db.select().from(auditEvents).orderBy(auditEvents.id).all();
    expect(events.filter((e) => e.action === "version.registered")).toHaveLength(20);
    for (let i = 1; i < events.length; i++) expect(events[i]?.prevHash).toBe(events[i - 1]?.hash);
  }, 20_000);
});

describe("registering refuses bad input and writes nothing", () => {
  it.each([
    ["NaN", Number.NaN],
    ["Infinity", Number.POSITIVE_INFINITY],
    ["-Infinity", Number.NEGATIVE_INFINITY],
    ["a string", "0.93"],
    ["null", null],
  ])("refuses a metric value that is %s, naming metrics.0.value", (_label, value) => {
    const { db, lead } = setup();
    const error = thrown(() =>
      registerVersion(db, lead, "fraud-detector", { metrics: [{ name: "accuracy", value }] }),
    );
    expect(error).toBeInstanceOf(AppError);
    expect(error.status).toBe(400);
    expect(error.code).toBe("bad_request:validation");
    expect(error.message).toContain("metrics.0.value");
    expect(error.errors.map((e: { field: string }) => e.field)).toEqual(["metrics.0.value"]);
    expect(rowCounts(db)).toEqual({ models: 0, versions: 0, metrics: 0 });
  });

  it("names the position of the bad metric in the list", () => {
    const { db, lead } = setup();
    const error = thrown(() =>
      registerVersion(db, lead, "fraud-detector", {
        metrics: [
          { name: "accuracy", value: 0.9 },
          { name: "auc", value: Number.NaN },
        ],
      }),
    );
    expect(error.errors[0]).toMatchObject({ field: "metrics.1.value" });
  });

  it.each(["Fraud-Detector", "fraud detector", "-fraud", "fraud/detector", "", "a".repeat(101)])(
    "refuses the model name %j with a 400 that names the rule",
    (name) => {
      const { db, lead } = setup();
      const error = thrown(() => registerVersion(db, lead, name, {}));
      expect(error).toBeInstanceOf(AppError);
      expect(error.status).toBe(400);
      expect(error.code).toBe("bad_request:model_name");
      expect(error.errors[0]).toMatchObject({ field: "name", rule: "model_name" });
      expect(rowCounts(db).models).toBe(0);
    },
  );

  it("accepts a model name of dots, dashes, underscores and digits", () => {
    const { db, lead } = setup();
    expect(registerVersion(db, lead, "fraud.detector_v2-eu", {}).model.name).toBe(
      "fraud.detector_v2-eu",
    );
  });

  it("refuses an unknown key, naming it", () => {
    const { db, lead } = setup();
    const error = thrown(() => registerVersion(db, lead, "fraud-detector", { metircs: [] }));
    expect(error.status).toBe(400);
    expect(error.code).toBe("bad_request:validation");
    expect(error.errors[0]).toMatchObject({ rule: "unrecognized_keys" });
    expect(error.message).toContain("metircs");
    expect(rowCounts(db).versions).toBe(0);
  });

  it("refuses an unknown key inside a metric", () => {
    const { db, lead } = setup();
    const error = thrown(() =>
      registerVersion(db, lead, "fraud-detector", {
        metrics: [{ name: "auc", value: 0.9, dataset: "test" }],
      }),
    );
    expect(error.status).toBe(400);
    expect(error.errors[0]).toMatchObject({ field: "metrics.0", rule: "unrecognized_keys" });
  });

  it("refuses an invalid metric name, naming metrics.0.name", () => {
    const { db, lead } = setup();
    const error = thrown(() =>
      registerVersion(db, lead, "fraud-detector", { metrics: [{ name: "9 lives", value: 1 }] }),
    );
    expect(error.errors[0]).toMatchObject({ field: "metrics.0.name" });
  });

  it("refuses a fractional step", () => {
    const { db, lead } = setup();
    const error = thrown(() =>
      registerVersion(db, lead, "fraud-detector", {
        metrics: [{ name: "loss", value: 1, step: 1.5 }],
      }),
    );
    expect(error.errors[0]).toMatchObject({ field: "metrics.0.step" });
  });

  it("refuses a body that is not an object", () => {
    const { db, lead } = setup();
    const error = thrown(() => registerVersion(db, lead, "fraud-detector", "accuracy=0.9"));
    expect(error.status).toBe(400);
    expect(error.code).toBe("bad_request:validation");
  });

  it("refuses a reviewer with 403: only leads register versions", () => {
    const { db } = setup();
    const reviewer = userActor(addUser(db, "reviewer"));
    const error = thrown(() => registerVersion(db, reviewer, "fraud-detector", {}));
    expect(error.status).toBe(403);
    expect(error.code).toBe("forbidden:versions_register");
    expect(rowCounts(db).models).toBe(0);
  });

  it("refuses a token without the register scope with 403", () => {
    const { db } = setup();
    const { actor } = tokenActor(db, { scopes: ["read"] });
    expect(thrown(() => registerVersion(db, actor, "fraud-detector", {})).status).toBe(403);
  });
});

describe("adding metrics later", () => {
  it("adds metrics to an existing version", () => {
    const { db, lead } = setup();
    const { version } = registerVersion(db, lead, "fraud-detector", {});
    const result = addMetrics(db, lead, "fraud-detector", 1, {
      metrics: [{ name: "auc", value: 0.97 }],
    });
    expect(result).toMatchObject({ added: 1, replaced: 0 });
    expect(listMetricsOfVersion(db, version.id).map((m) => [m.name, m.value])).toEqual([
      ["auc", 0.97],
    ]);
  });

  it("replaces a value with the same name, step and split", () => {
    const { db, lead } = setup();
    const { version } = registerVersion(db, lead, "fraud-detector", {
      metrics: [{ name: "auc", value: 0.9, split: "test" }],
    });
    const result = addMetrics(db, lead, "fraud-detector", 1, {
      metrics: [{ name: "auc", value: 0.95, split: "test" }],
    });
    expect(result.replaced).toBe(1);
    expect(listMetricsOfVersion(db, version.id).map((m) => m.value)).toEqual([0.95]);
  });

  it("refuses a NaN value and writes nothing", () => {
    const { db, lead } = setup();
    const { version } = registerVersion(db, lead, "fraud-detector", {});
    const error = thrown(() =>
      addMetrics(db, lead, "fraud-detector", 1, { metrics: [{ name: "auc", value: Number.NaN }] }),
    );
    expect(error).toMatchObject({ status: 400, code: "bad_request:validation" });
    expect(error.message).toContain("metrics.0.value");
    expect(listMetricsOfVersion(db, version.id)).toEqual([]);
  });

  it("refuses an empty list", () => {
    const { db, lead } = setup();
    registerVersion(db, lead, "fraud-detector", {});
    const error = thrown(() => addMetrics(db, lead, "fraud-detector", 1, { metrics: [] }));
    expect(error.errors[0]).toMatchObject({ field: "metrics" });
  });

  it("answers 404 for a version that does not exist", () => {
    const { db, lead } = setup();
    registerVersion(db, lead, "fraud-detector", {});
    const error = thrown(() =>
      addMetrics(db, lead, "fraud-detector", 2, { metrics: [{ name: "auc", value: 1 }] }),
    );
    expect(error).toMatchObject({ status: 404, code: "not_found:version" });
  });
});
