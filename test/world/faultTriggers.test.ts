// Faults that bite (issue #13 parts 1 and 2): a fault aimed at a replica's cycle waits for it and
// strikes partway through, and every fault reports what it did — `fault.noop` when nothing.
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import { parse } from "yaml";
import { closeDatabase, loadScenario, runScenario, type ScenarioError } from "../../src/index.ts";

afterAll(closeDatabase);

/** Three replicas ticking together, slow queries and a 5 s interval: cycles outlast ticks (as incident-15). */
function overlapping(faults: unknown[], duration = "PT6M") {
  return {
    name: "fault-triggers",
    start: "2026-03-02T08:00:00Z",
    duration,
    replicas: { count: 3 },
    settings: { reconciliationInterval: "PT5S" },
    database: { latency: { median: "PT0.3S", p90: "PT1S" } },
    provisioners: { daemons: 8, buildTime: { median: "PT1M", p90: "PT2M" } },
    templates: [
      {
        name: "dev",
        versions: [
          {
            name: "v1",
            presets: ["a", "b", "c", "d", "e", "f"].map((name) => ({ name, desiredInstances: 5 })),
          },
        ],
      },
    ],
    faults,
    expect: { convergeWithin: "PT4M" },
  };
}

const offset = (iso: string) => (Date.parse(iso) - Date.parse("2026-03-02T08:00:00Z")) / 1000;

async function traceOf(dir: string) {
  const text = await readFile(join(dir, "trace.jsonl"), "utf8");
  return text
    .trim()
    .split("\n")
    .map((l) => JSON.parse(l) as Record<string, unknown> & { kind: string; t: string; seq: number });
}

// Each test runs whole 6-minute, three-replica scenarios (three of them in one): under a loaded
// machine that outlasts the default 60 s.
describe("cycle-triggered faults", { timeout: 240_000 }, () => {
  test("a lost lock named for a replica that does not hold it at `at` bites partway through that replica's next cycle", async () => {
    const dir = join(process.env.TMPDIR ?? "/tmp", "fault-triggers-named");
    // incident-15's deployment: nobody holds the lock at 1 s; the first cycle, at 5 s, is replica-2's.
    const incident = parse(await readFile("scenarios/incident-15-lock-lost-overlap.yaml", "utf8")) as object;
    const summary = await runScenario(
      {
        ...incident,
        duration: "PT6M",
        faults: [{ at: "PT1S", kind: "lock-connection-lost", replica: 2, afterStatements: 12 }],
      },
      { seed: 15, outDir: dir, report: false },
    );
    const [fault] = summary.faults;
    expect(fault).toMatchObject({
      index: 0,
      kind: "lock-connection-lost",
      replica: "replica-2",
      noop: false,
    });
    expect(fault?.effect).toEqual({ locksReleased: 1 });
    expect(offset(fault?.at ?? "")).toBeGreaterThanOrEqual(5);
    const trace = await traceOf(dir);
    const lost = trace.filter((l) => l.kind === "lock.lost");
    expect(lost.map((l) => l.connection)).toEqual(["replica-2"]);
    // Struck after the 12th statement of the cycle, while the lock was held: the lease was live.
    const acquired = trace.filter(
      (l) => l.kind === "lock.acquire" && l.connection === "replica-2" && l.seq < lost[0]!.seq,
    );
    expect(acquired.length).toBeGreaterThan(0);
    expect(summary.probes["lock-lost-overlap"]).toBeGreaterThan(0);
    expect(trace.find((l) => l.kind === "fault.armed")).toMatchObject({
      replica: "replica-2",
      afterStatements: 12,
    });
  });

  test("holder: strikes whichever replica holds the lock, after a seeded number of statements", async () => {
    const dir = join(process.env.TMPDIR ?? "/tmp", "fault-triggers-holder");
    const summary = await runScenario(
      overlapping([{ at: "PT1S", kind: "lock-connection-lost", replica: "holder" }]),
      {
        seed: 4,
        outDir: dir,
        report: false,
      },
    );
    const trace = await traceOf(dir);
    const lost = trace.filter((l) => l.kind === "lock.lost");
    expect(lost).toHaveLength(1);
    expect(summary.faults[0]).toMatchObject({ replica: lost[0]?.connection, effect: { locksReleased: 1 } });
    const armed = trace.find((l) => l.kind === "fault.armed");
    expect(armed).toMatchObject({ replica: "holder" });
    expect(armed?.afterStatements).toBeGreaterThanOrEqual(0);
  });

  // Each fault draws from `faults/<kind>/<n>/trigger` (n: its place among its kind's faults), so
  // a shrink that drops a fault of another kind, or a later one of the same kind, keeps its draws.
  test("removing another fault leaves a fault's seeded trigger point", async () => {
    const crash = { at: "PT30S", kind: "replica-crash", replica: "holder", during: "cycle" };
    const first = { at: "PT1M", kind: "lock-connection-lost", replica: "holder" };
    const second = { at: "PT3M", kind: "lock-connection-lost", replica: "holder" };
    const drawn = async (faults: object[], name: string) => {
      const dir = join(process.env.TMPDIR ?? "/tmp", `fault-triggers-streams-${name}`);
      await runScenario(overlapping(faults), { seed: 4, outDir: dir, report: false });
      return (await traceOf(dir))
        .filter((l) => l.kind === "fault.armed")
        .map((l) => [l.fault, l.afterStatements]);
    };
    const all = await drawn([crash, first, second], "all");
    expect(all.map(([kind]) => kind)).toEqual([
      "replica-crash",
      "lock-connection-lost",
      "lock-connection-lost",
    ]);
    expect(await drawn([first, second], "no-crash")).toEqual(all.slice(1));
    expect(await drawn([crash, first], "no-second")).toEqual(all.slice(0, 2));
  });

  test("replica-crash during a cycle and db-errors during a cycle strike inside a held lock", async () => {
    const dir = join(process.env.TMPDIR ?? "/tmp", "fault-triggers-crash");
    const summary = await runScenario(
      overlapping([
        {
          at: "PT1S",
          kind: "replica-crash",
          replica: "holder",
          during: "cycle",
          afterStatements: 5,
          restartAfter: "PT30S",
        },
        { at: "PT2M", kind: "db-errors", rate: 1, during: "cycle", replica: "holder", afterStatements: 2 },
      ]),
      { seed: 15, outDir: dir, report: false },
    );
    const [crash, errors] = summary.faults;
    expect(crash).toMatchObject({
      kind: "replica-crash",
      noop: false,
      effect: { crashed: 1, locksReleased: 1, restarted: 1 },
    });
    expect(errors).toMatchObject({ kind: "db-errors", noop: false });
    expect(errors?.effect.queriesFailed).toBeGreaterThan(0);
    const trace = await traceOf(dir);
    // The crashed replica's cycle failed, and it started reconciling again 30 s after the crash.
    const start = trace.find((l) => l.kind === "fault.start" && l.fault === "replica-crash");
    const crashed = String(start?.replica);
    const restart = trace.find((l) => l.kind === "fault.end" && l.fault === "replica-crash");
    expect(offset(restart?.t ?? "") - offset(start?.t ?? "")).toBe(30);
    // The failing cycle is the one the errors struck: a cycle of that replica ended with an error.
    const errorStart = trace.find((l) => l.kind === "fault.start" && l.fault === "db-errors");
    const failedCycle = trace.find(
      (l) =>
        l.kind === "reconcile.cycle.end" && l.actor === errorStart?.replica && l.seq > (errorStart?.seq ?? 0),
    );
    expect(failedCycle?.error ?? "").not.toBe("");
    expect(crashed).toMatch(/^replica-\d$/);
  });
});

describe("no fault changes nothing silently", { timeout: 240_000 }, () => {
  test("a lost lock never held again, and a crash of a replica already down, are reported as no effect and start no convergence window", async () => {
    const dir = join(process.env.TMPDIR ?? "/tmp", "fault-triggers-noop");
    const summary = await runScenario(
      {
        name: "noop-faults",
        start: "2026-03-02T08:00:00Z",
        duration: "PT30M",
        replicas: { count: 2 },
        templates: [
          { name: "dev", versions: [{ name: "v1", presets: [{ name: "small", desiredInstances: 2 }] }] },
        ],
        faults: [
          { at: "PT10S", kind: "replica-crash", replica: 1 },
          { at: "PT20M", kind: "lock-connection-lost", replica: 1 },
          { at: "PT21M", kind: "replica-crash", replica: 1 },
          { at: "PT22M", kind: "provisioner-outage", duration: "PT1M" },
        ],
        expect: { convergeWithin: "PT20M" },
      },
      { seed: 2, outDir: dir, report: false },
    );
    expect(summary.faults.map((f) => [f.index, f.noop, f.effect])).toEqual([
      [0, false, { crashed: 1, locksReleased: 0 }],
      [1, true, {}],
      [2, true, {}],
      [3, true, {}],
    ]);
    expect(summary.faults[1]?.reason).toBe(
      "replica-1 did not hold the reconciliation lock long enough again before the end",
    );
    expect(summary.faults[2]?.reason).toBe("replica-1 was already down");
    const trace = await traceOf(dir);
    expect(trace.filter((l) => l.kind === "fault.noop").map((l) => l.index)).toEqual([2, 3, 1]);
    // The window starts at the only fault with an effect (10 s), so the pool converged long before 20 min.
    const converged = summary.presets[0]?.convergedAt ?? "";
    expect(offset(converged)).toBeLessThan(20 * 60);
    expect(summary.ok).toBe(true);
  });
});

describe("the trigger grammar", () => {
  const base = {
    name: "grammar",
    duration: "PT10M",
    replicas: { count: 2 },
    templates: [{ name: "dev", versions: [{ name: "v1" }] }],
  };
  const problems = async (fault: object) => {
    try {
      await loadScenario({ ...base, faults: [fault] });
      return [];
    } catch (err) {
      return (err as ScenarioError).problems.map((p) => String(p));
    }
  };

  test("holder and afterStatements read as written; a crash of the holder needs during: cycle", async () => {
    const s = await loadScenario({
      ...base,
      faults: [
        { at: "PT1M", kind: "lock-connection-lost", replica: "holder", afterStatements: 3 },
        { at: "PT1M", kind: "replica-crash", replica: "holder", during: "cycle" },
        { at: "PT1M", kind: "db-errors", rate: 1, during: "cycle" },
      ],
    });
    expect(s.faults[0]).toMatchObject({ replica: null, afterStatements: 3 });
    expect(s.faults[1]).toMatchObject({ replica: null, during: "cycle", afterStatements: null });
    expect(s.faults[2]).toMatchObject({ during: "cycle", replica: null });
    expect(await problems({ at: "PT1M", kind: "replica-crash", replica: "holder" })).toEqual([
      expect.stringContaining(
        "faults[0].replica: expected a replica number or name (holder needs during: cycle)",
      ),
    ]);
    expect(await problems({ at: "PT1M", kind: "db-errors", rate: 1 })).toEqual([
      expect.stringContaining("faults[0]: expected a duration (or during: cycle)"),
    ]);
  });
});
