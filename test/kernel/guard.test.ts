// The determinism guard against real project code paths and a real PGlite. The test directory
// plays the part of src/ (roots), since src/ itself must not contain a violation.
import { dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { PGlite } from "@electric-sql/pglite";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { MINUTE } from "../../src/clock/index.ts";
import { DeterminismGuard, DeterminismViolation } from "../../src/kernel/guard.ts";
import { Kernel } from "../../src/kernel/index.ts";

const here = dirname(fileURLToPath(import.meta.url));
const thisFile = fileURLToPath(import.meta.url);

let db: PGlite;
beforeAll(async () => {
  db = await PGlite.create();
});
afterAll(async () => {
  await db.close();
});

let guard: DeterminismGuard | undefined;
afterEach(() => {
  guard?.uninstall();
  guard = undefined;
});

describe("determinism guard", () => {
  it.each([
    ["Date.now", () => Date.now()],
    ["new Date()", () => new Date()],
    ["Date()", () => (Date as unknown as () => string)()],
    ["Math.random", () => Math.random()],
    ["performance.now", () => performance.now()],
    ["crypto.randomUUID", () => crypto.randomUUID()],
    ["setTimeout", () => clearTimeout(setTimeout(() => {}, 1))],
    ["setInterval", () => clearInterval(setInterval(() => {}, 1))],
    ["setImmediate", () => clearImmediate(setImmediate(() => {}))],
  ])("throws when project code calls %s", (api, call) => {
    guard = DeterminismGuard.install({ roots: [here] });
    expect(call).toThrow(DeterminismViolation);
    expect(call).toThrow(new RegExp(`^${api.replace(/[().]/g, "\\$&")} called from ${thisFile}:\\d+:\\d+`));
  });

  it("lets arguments-taking Date calls through", () => {
    guard = DeterminismGuard.install({ roots: [here] });
    expect(new Date(0).toISOString()).toBe("1970-01-01T00:00:00.000Z");
    expect(Date.UTC(2024, 0, 1)).toBe(1_704_067_200_000);
    expect(new Date(5)).toBeInstanceOf(Date);
  });

  it("ignores callers outside the project roots (here: none of the test directory)", () => {
    guard = DeterminismGuard.install({ roots: ["/nonexistent/project/src"] });
    expect(() => Date.now()).not.toThrow();
  });

  it("ignores exempt files", () => {
    guard = DeterminismGuard.install({ roots: [here], exempt: [thisFile] });
    expect(() => Math.random()).not.toThrow();
  });

  it("report mode records violations with their caller and lets the call run", () => {
    guard = DeterminismGuard.install({ roots: [here], mode: "report" });
    const t = Date.now();
    expect(t).toBeGreaterThan(0);
    expect(guard.violations).toHaveLength(1);
    expect(guard.violations[0]?.api).toBe("Date.now");
    expect(guard.violations[0]?.caller).toMatch(new RegExp(`^${thisFile}:\\d+:\\d+$`));
  });

  it("uninstall restores every original; only one guard at a time", () => {
    const originals = [
      Date,
      Math.random,
      performance.now,
      setTimeout,
      setInterval,
      setImmediate,
      crypto.randomUUID,
    ];
    guard = DeterminismGuard.install({ roots: [here] });
    expect(() => DeterminismGuard.install()).toThrow("determinism guard: already installed");
    guard.uninstall();
    expect(guard.installed).toBe(false);
    expect([
      Date,
      Math.random,
      performance.now,
      setTimeout,
      setInterval,
      setImmediate,
      crypto.randomUUID,
    ]).toEqual(originals);
    expect(() => Date.now()).not.toThrow();
  });

  it("keeps PGlite working: queries and transactions awaited by a kernel task under the guard, no violation", async () => {
    await DeterminismGuard.around({ roots: [here], mode: "report" }, async (g) => {
      const kernel = new Kernel();
      const rows: number[] = [];
      kernel.spawn("db user", async () => {
        await db.exec("create table if not exists t (n int)");
        for (let i = 0; i < 20; i++) {
          await db.transaction(async (tx) => {
            await tx.query("insert into t values ($1)", [i]);
          });
          await kernel.clock.sleep(MINUTE);
        }
        const res = await db.query<{ total: number }>("select sum(n)::int as total from t");
        rows.push(res.rows[0]?.total ?? -1);
      });
      await kernel.run();
      expect(rows).toEqual([190]);
      expect(g.violations).toEqual([]);
    });
    // and in throw mode nothing PGlite does trips it
    await DeterminismGuard.around({ roots: [here] }, async () => {
      const res = await db.query<{ one: number }>("select 1 as one");
      expect(res.rows).toEqual([{ one: 1 }]);
    });
  });

  it("a kernel task that reads real time fails with the violation", async () => {
    guard = DeterminismGuard.install({ roots: [here] });
    const kernel = new Kernel();
    kernel.spawn("cheater", () => {
      Date.now();
    });
    await expect(kernel.run()).rejects.toThrow(/task #1 cheater failed at .*: Date\.now called from/);
  });
});
