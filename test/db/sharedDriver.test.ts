// The process's one driver (sharedDriver): closing it forgets it, so the next caller gets a working
// driver instead of a closed one (`npm run bench` runs a section that closes it before others).
import { describe, expect, it } from "vitest";
import { sharedDriver } from "../../src/db/backend.ts";

describe("sharedDriver", () => {
  it("is one driver until it is closed, and a new working one after", { timeout: 120_000 }, async () => {
    const first = await sharedDriver();
    expect(await sharedDriver()).toBe(first);
    await first.close();
    const second = await sharedDriver();
    expect(second).not.toBe(first);
    expect(await second.query("SELECT 1 AS one")).toEqual([{ one: 1 }]);
    await second.close();
  });
});
