// Properties of the kernel over generated task programs (see program-model.ts).
import { fc, test } from "@fast-check/vitest";
import { describe, expect } from "vitest";
import { Kernel } from "../../src/kernel/index.ts";
import { predictBlocked, programArb, runOnKernel } from "./program-model.ts";

const policy = fc.constantFrom("fifo" as const, "random" as const);

/** Per task, its steps: sleep that many ms, or yield for 0. */
const workArb = fc.array(fc.array(fc.nat(4), { minLength: 1, maxLength: 6 }), { minLength: 2, maxLength: 4 });

/**
 * Runs `work` under the random policy and logs every step with its instant; with `watcher`, a
 * task that wakes every `period` ms until 40 ms, spawned as an observer or as an ordinary task.
 */
async function runWork(
  work: readonly (readonly number[])[],
  seed: number,
  watcher?: { period: number; observer: boolean },
): Promise<{ log: string[]; looks: number }> {
  const kernel = new Kernel({ policy: "random", seed, watchdog: false });
  const start = kernel.clock.now();
  const log: string[] = [];
  let looks = 0;
  work.forEach((steps, t) => {
    kernel.spawn(`t${t}`, async () => {
      for (const [i, d] of steps.entries()) {
        log.push(`${t}.${i}@${kernel.clock.now() - start}`);
        await (d === 0 ? kernel.yield() : kernel.clock.sleep(d));
      }
    });
  });
  if (watcher !== undefined) {
    const watch = async () => {
      while (kernel.clock.now() - start < 40) {
        await kernel.clock.sleep(watcher.period);
        looks++;
      }
    };
    if (watcher.observer) kernel.spawnObserver("watcher", watch);
    else kernel.spawn("watcher", watch);
  }
  await kernel.run();
  return { log, looks };
}

describe("kernel properties", () => {
  test.prop([programArb, policy, fc.nat()], { numRuns: 150 })(
    "a deadlock is reported exactly when the model predicts one, naming the blocked tasks",
    async (program, pol, seed) => {
      const run = await runOnKernel(program, pol, seed);
      expect(run.blocked).toEqual(predictBlocked(program));
    },
  );

  test.prop([programArb, fc.nat()], { numRuns: 100 })(
    "the same seed gives the identical trace",
    async (program, seed) => {
      const first = await runOnKernel(program, "random", seed);
      const second = await runOnKernel(program, "random", seed);
      expect(second.trace).toEqual(first.trace);
      expect(second.steps).toEqual(first.steps);
    },
  );

  test.prop([programArb, policy, fc.nat()], { numRuns: 100 })(
    "virtual time never goes backwards",
    async (program, pol, seed) => {
      const { trace } = await runOnKernel(program, pol, seed);
      let now = Number.NEGATIVE_INFINITY;
      for (const e of trace) {
        if (e.kind === "advance") {
          expect(e.from).toBe(now === Number.NEGATIVE_INFINITY ? e.from : now);
          expect(e.to).toBeGreaterThan(e.from);
          now = e.to;
        } else {
          expect(e.at).toBeGreaterThanOrEqual(now);
          now = e.at;
        }
      }
    },
  );

  test.prop([programArb, fc.nat()], { numRuns: 100 })(
    "every task completes its operations in program order, under any policy",
    async (program, seed) => {
      const { steps } = await runOnKernel(program, "random", seed);
      program.tasks.forEach((_, t) => {
        const mine = steps.filter((s) => s.startsWith(`t${t}:`)).map((s) => Number(s.split(":")[1]));
        expect(mine).toEqual(mine.map((_, i) => i));
      });
    },
  );

  test.prop([fc.integer({ min: 2, max: 4 }), fc.integer({ min: 2, max: 4 })])(
    "under the random policy different seeds give different, valid interleavings",
    async (tasks, steps) => {
      const logs = new Set<string>();
      for (let seed = 0; seed < 8; seed++) {
        const kernel = new Kernel({ policy: "random", seed, watchdog: false });
        const log: string[] = [];
        for (let t = 0; t < tasks; t++) {
          kernel.spawn(`t${t}`, async () => {
            for (let i = 0; i < steps; i++) {
              log.push(`${t}.${i}`);
              await kernel.yield();
            }
          });
        }
        await kernel.run();
        // valid: every step of every task exactly once, each task's steps in order
        expect([...log].sort()).toEqual(
          Array.from({ length: tasks }, (_, t) => Array.from({ length: steps }, (_, i) => `${t}.${i}`))
            .flat()
            .sort(),
        );
        for (let t = 0; t < tasks; t++) {
          expect(log.filter((s) => s.startsWith(`${t}.`))).toEqual(
            Array.from({ length: steps }, (_, i) => `${t}.${i}`),
          );
        }
        logs.add(log.join(" "));
      }
      expect(logs.size).toBeGreaterThan(1);
    },
  );
});

describe("kernel trace sink", () => {
  test.prop([programArb, fc.nat()], { numRuns: 50 })(
    "attaching a sink does not change the run",
    async (program, seed) => {
      const traced = await runOnKernel(program, "random", seed);
      const untraced = await runOnKernel(program, "random", seed, { traced: false });
      expect(untraced.trace).toEqual([]);
      expect(untraced.steps).toEqual(traced.steps);
      expect(untraced.blocked).toEqual(traced.blocked);
    },
  );

  test.prop([workArb, fc.integer({ min: 1, max: 7 }), fc.nat()], { numRuns: 100 })(
    "an observer task, however often it wakes, leaves the other tasks' interleaving unchanged",
    async (work, period, seed) => {
      const alone = await runWork(work, seed);
      const watched = await runWork(work, seed, { period, observer: true });
      expect(watched.log).toEqual(alone.log);
      expect(watched.looks).toBe(Math.ceil(40 / period));
    },
  );
});

describe("observer tasks, the control", () => {
  test("the same watcher spawned as an ordinary task changes the interleaving for some seeds", async () => {
    const work = [
      [1, 0, 1, 0, 1],
      [1, 0, 1, 0, 1],
      [1, 0, 1, 0, 1],
    ];
    let changed = 0;
    for (let seed = 0; seed < 20; seed++) {
      const alone = await runWork(work, seed);
      const watched = await runWork(work, seed, { period: 1, observer: false });
      if (JSON.stringify(watched.log) !== JSON.stringify(alone.log)) changed++;
    }
    expect(changed).toBeGreaterThan(0);
  });
});
