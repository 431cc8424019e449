// The model page's versions table comes in pages of 50, newest first, with a
// keyset cursor; its chart covers the newest versions only.
import { describe, expect, it } from "vitest";
import {
  getModelPage,
  parseVersionsBefore,
  TIMELINE_ENTRIES,
  TREND_VERSIONS,
  VERSIONS_PER_PAGE,
} from "@/lib/views/model-page";
import { registerVersion } from "@/lib/gate/versions";
import { gateWorlds, MODEL } from "../helpers/gate-world";

const newWorld = gateWorlds();

function withVersions(count: number) {
  const w = newWorld();
  for (let n = 1; n <= count; n++) w.register({ accuracy: n / 1000 });
  return w;
}

/** Every page from the newest, following the "older" cursor to the end. */
function walk(w: ReturnType<typeof withVersions>) {
  const pages: number[][] = [];
  let before: number | null = null;
  do {
    const page = getModelPage(w.db, w.people.viewer, MODEL, null, null, before);
    pages.push(page.versions.map((v) => v.number));
    before = page.older;
  } while (before !== null && pages.length < 20);
  return pages;
}

describe("the versions table's pages", () => {
  it("shows every version exactly once, newest first, 50 to a page", () => {
    const w = withVersions(120);
    const pages = walk(w);
    expect(pages.map((p) => p.length)).toEqual([VERSIONS_PER_PAGE, VERSIONS_PER_PAGE, 20]);
    const seen = pages.flat();
    expect(seen).toEqual(Array.from({ length: 120 }, (_, i) => 120 - i));
  });

  it("offers no older page when the last page ends exactly at v1", () => {
    const w = withVersions(VERSIONS_PER_PAGE * 2);
    const pages = walk(w);
    expect(pages.map((p) => p.length)).toEqual([VERSIONS_PER_PAGE, VERSIONS_PER_PAGE]);
    expect(pages.flat().at(-1)).toBe(1);
  });

  it("neither repeats nor skips when a version is registered between two pages", () => {
    const w = withVersions(60);
    const first = getModelPage(w.db, w.people.viewer, MODEL, null);
    w.register({ accuracy: 0.5 });
    const second = getModelPage(w.db, w.people.viewer, MODEL, null, null, first.older);
    const shown = [...first.versions, ...second.versions].map((v) => v.number);
    expect(shown).toEqual(Array.from({ length: 60 }, (_, i) => 60 - i));
    expect(second.older).toBeNull();
    expect(second.newer).toBe(true);
  });

  it("shows each version's value of the chosen metric in its row", () => {
    const w = withVersions(55);
    const older = getModelPage(w.db, w.people.viewer, MODEL, "accuracy", null, 6);
    expect(older.versions.map((v) => [v.number, v.values.accuracy])).toEqual([
      [5, 0.005],
      [4, 0.004],
      [3, 0.003],
      [2, 0.002],
      [1, 0.001],
    ]);
  });
});

describe("the metric across versions", () => {
  it("covers the newest versions only, oldest first, whatever page the table shows", () => {
    const w = withVersions(TREND_VERSIONS + 30);
    const page = getModelPage(w.db, w.people.viewer, MODEL, "accuracy", null, 40);
    expect(page.versions[0]?.number).toBe(39);
    expect(page.trend).toHaveLength(TREND_VERSIONS);
    expect(page.trend[0]).toEqual({ version: 31, value: 0.031 });
    expect(page.trend.at(-1)).toEqual({ version: TREND_VERSIONS + 30, value: 0.13 });
  });

  it("takes a learning curve's last step when a version has no single value", () => {
    const w = newWorld();
    w.register({ accuracy: 0.8 });
    registerVersion(w.db, w.lead, MODEL, {
      metrics: [0.1, 0.5, 0.9].map((value, step) => ({ name: "accuracy", value, step })),
    });
    const page = getModelPage(w.db, w.people.viewer, MODEL, "accuracy");
    expect(page.trend).toEqual([
      { version: 1, value: 0.8 },
      { version: 2, value: 0.9 },
    ]);
  });
});

describe("the before parameter", () => {
  it("reads a version number and names what is wrong with anything else", () => {
    expect(parseVersionsBefore({})).toEqual({ ok: true, before: null });
    expect(parseVersionsBefore({ before: "51" })).toEqual({ ok: true, before: 51 });
    for (const bad of ["abc", "2.5", "1", "-3"]) {
      const parsed = parseVersionsBefore({ before: bad });
      expect(parsed.ok).toBe(false);
      if (!parsed.ok) expect(parsed.message).toMatch(/^before: /);
    }
  });
});

describe("the deployment timeline", () => {
  it("shows the newest deployments per environment and all of them when asked", () => {
    const w = newWorld();
    w.policy("auto_approve: [accuracy >= 0.5]\n");
    const count = TIMELINE_ENTRIES + 5;
    for (let n = 1; n <= count; n++) {
      w.register({ accuracy: 0.9 });
      w.ask(n);
      w.deploy(n);
    }
    const short = getModelPage(w.db, w.people.viewer, MODEL, null);
    const [production] = short.timelines;
    expect(production?.total).toBe(count);
    expect(production?.entries.map((e) => e.version)).toEqual(
      Array.from({ length: TIMELINE_ENTRIES }, (_, i) => count - i),
    );
    // A lead is still offered the version live before.
    const asLead = getModelPage(w.db, w.people.lead, MODEL, null);
    expect(asLead.timelines[0]?.rollback).toEqual({ from: count, to: count - 1 });

    const full = getModelPage(w.db, w.people.viewer, MODEL, null, null, null, "production");
    expect(full.timelines[0]?.entries.map((e) => e.version)).toEqual(
      Array.from({ length: count }, (_, i) => count - i),
    );
    // Another environment's name opens nothing more.
    const other = getModelPage(w.db, w.people.viewer, MODEL, null, null, null, "staging");
    expect(other.timelines[0]?.entries).toHaveLength(TIMELINE_ENTRIES);
  });
});
