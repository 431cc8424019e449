import { describe, expect, it } from "vitest";
import { diffRecords } from "@/lib/views/record-diff";

describe("diffRecords", () => {
  it("puts changes first and unchanged keys last", () => {
    const rows = diffRecords({ a: 1, b: 2, z: "x" }, { a: 1, b: 3, y: true });
    expect(rows.map((r) => [r.key, r.status])).toEqual([
      ["b", "changed"],
      ["z", "added"],
      ["y", "removed"],
      ["a", "unchanged"],
    ]);
  });

  it("tells a string that looks like a number from the number", () => {
    const [row] = diffRecords({ seed: "42" }, { seed: 42 });
    expect(row).toEqual({ key: "seed", status: "changed", before: "42", after: '"42"' });
  });
});
