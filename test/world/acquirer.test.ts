// The acquirer (upstream coderd/provisionerdserver/acquirer.go): the tests named after upstream's
// acquirer_test.go cases check the same behaviour in virtual time, then the simulation's own parts
// (outages, seeded picks) and a property over random postings.
import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { SECOND } from "../../src/clock/types.ts";
import { Context, Kernel, Rng } from "../../src/kernel/index.ts";
import { PREBUILDS_SYSTEM_USER_ID } from "../../src/prebuilds/constants.ts";
import { EVENT_PROVISIONER_JOB_POSTED, MemoryPubsub } from "../../src/prebuilds/pubsub.ts";
import { type Acquired, Acquiree, Acquirer, type DomainKey } from "../../src/world/acquirer.ts";
import { START } from "./scenarioFixture.ts";

const BACKUP = 30 * SECOND;
const PERSON = "00000000-0000-4000-8000-00000000beef";
/** How long one database ask takes in these tests. */
const ASK = 100;

interface Ask {
  readonly worker: string;
  readonly at: number;
  readonly job: string | null;
}

/** A queue of jobs by initiator, and the log of every ask, as the fake store of upstream's tests. */
function setUp(options: { outages?: { at: number; until: number }[]; seed?: string } = {}) {
  const kernel = new Kernel({ start: START, watchdog: false });
  const pubsub = new MemoryPubsub();
  const outages = options.outages ?? [];
  const acquirer = new Acquirer(
    {
      kernel,
      clock: kernel.clock,
      pubsub,
      picks: new Rng(options.seed ?? "1").stream("picks"),
      outageEnd: (t) => outages.find((w) => t >= w.at && t < w.until)?.until ?? null,
      outageStarts: outages.map((w) => w.at),
    },
    "coderd-0",
    BACKUP,
  );
  const queue: { id: string; initiator: string }[] = [];
  const asks: Ask[] = [];
  let asking = 0;
  let overlaps = 0;
  const root = Context.background(kernel);
  const results = new Map<string, Acquired<string> & { at: number }>();

  /** Queues a job without posting it (a lost posting, or one made before anyone listens). */
  const insert = (id: string, initiator = PREBUILDS_SYSTEM_USER_ID) => queue.push({ id, initiator });
  /** Queues a job and posts it, as upstream's PostJob after the insert commits. */
  const post = (id: string, initiator = PREBUILDS_SYSTEM_USER_ID) => {
    insert(id, initiator);
    void pubsub.publish(
      EVENT_PROVISIONER_JOB_POSTED,
      JSON.stringify({
        jobId: id,
        organizationId: "org",
        provisionerType: "terraform",
        initiatorId: initiator,
        tags: {},
      }),
    );
  };
  const start = (worker: string, key: DomainKey = "prebuilds", ctx: Context = root) => {
    const acquiree = new Acquiree(kernel, worker);
    kernel.spawn(worker, async () => {
      const r = await acquirer.acquireJob(ctx, key, acquiree, async () => {
        asking += 1;
        if (asking > 1) overlaps += 1;
        // The query sees the queue as it starts; its answer comes ASK later.
        const i = queue.findIndex(
          (j) => key === "any" || (j.initiator === PREBUILDS_SYSTEM_USER_ID) === (key === "prebuilds"),
        );
        const job = i < 0 ? null : (queue.splice(i, 1)[0]?.id ?? null);
        asks.push({ worker, at: kernel.clock.now() - START, job });
        await kernel.clock.sleep(ASK);
        asking -= 1;
        return job;
      });
      results.set(worker, { ...r, at: kernel.clock.now() - START });
    });
  };
  const at = (offset: number, fn: () => void) => kernel.clock.afterFunc(offset, fn);
  return {
    kernel,
    root,
    asks,
    results,
    insert,
    post,
    start,
    at,
    get overlaps() {
      return overlaps;
    },
  };
}

function jobOf(r: (Acquired<string> & { at: number }) | undefined): string | undefined {
  return r !== undefined && "job" in r ? r.job : undefined;
}

describe("Acquirer, upstream's cases", () => {
  test("TestAcquirer_Single: a lone daemon asks at once and takes the job", async () => {
    const s = setUp();
    s.insert("job-1");
    s.start("w0");
    await s.kernel.run();
    expect(jobOf(s.results.get("w0"))).toBe("job-1");
    expect(s.asks).toEqual([{ worker: "w0", at: 0, job: "job-1" }]);
  });

  test("TestAcquirer_MultipleSameDomain: ten daemons, ten postings, one ask at a time, every daemon served", async () => {
    const s = setUp();
    const workers = Array.from({ length: 10 }, (_, i) => `w${i}`);
    for (const w of workers) s.start(w);
    s.at(SECOND, () => {
      for (let i = 0; i < 10; i++) s.post(`job-${i}`);
    });
    await s.kernel.run();
    const taken = workers.map((w) => jobOf(s.results.get(w)));
    expect(new Set(taken)).toEqual(new Set(Array.from({ length: 10 }, (_, i) => `job-${i}`)));
    expect(s.overlaps).toBe(0);
    expect(new Set(s.asks.map((a) => a.worker))).toEqual(new Set(workers));
  });

  test("TestAcquirer_WaitsOnNoJobs: after an empty ask the daemon waits for a posting it could take", async () => {
    const s = setUp();
    s.start("w0");
    s.at(5 * SECOND, () => s.post("human-job", PERSON)); // another domain's job: no wake-up
    s.at(7 * SECOND, () => s.post("job-1"));
    await s.kernel.run();
    expect(s.asks.map((a) => [a.at, a.job])).toEqual([
      [0, null],
      [7 * SECOND, "job-1"],
    ]);
  });

  test("TestAcquirer_RetriesPending: a posting during an ask makes the daemon ask again at once", async () => {
    const s = setUp();
    s.start("w0");
    // The ask runs from 0 to 100 ms; the job is posted in between, after the ask looked.
    s.at(50, () => s.post("job-1"));
    await s.kernel.run();
    expect(s.asks.map((a) => [a.at, a.job])).toEqual([
      [0, null],
      [ASK, "job-1"],
    ]);
  });

  test("TestAcquirer_DifferentDomains: daemons taking other jobs do not wait behind each other", async () => {
    const s = setUp();
    s.insert("human-job", PERSON);
    s.start("prebuild-daemon", "prebuilds");
    s.start("human-daemon", "humans");
    await s.kernel.run({ until: START + 10 * SECOND });
    expect(jobOf(s.results.get("human-daemon"))).toBe("human-job");
    expect(s.results.get("human-daemon")?.at).toBe(ASK);
    expect(s.results.has("prebuild-daemon")).toBe(false);
  });

  test("TestAcquirer_BackupPoll: a job whose posting was lost is found by the domain's poll", async () => {
    const s = setUp();
    s.start("w0");
    s.at(SECOND, () => s.insert("job-1"));
    await s.kernel.run();
    expect(s.asks.map((a) => [a.at, a.job])).toEqual([
      [0, null],
      [BACKUP, "job-1"],
    ]);
  });

  test("TestAcquirer_UnblockOnCancel: a canceled daemon's clearance passes to the next", async () => {
    const s = setUp();
    const { ctx, cancel } = s.root.withCancel("w0");
    s.insert("job-1");
    cancel();
    s.start("w0", "prebuilds", ctx);
    s.start("w1");
    await s.kernel.run();
    expect(s.results.get("w0")).toEqual({ stopped: "canceled", at: 0 });
    expect(jobOf(s.results.get("w1"))).toBe("job-1");
  });
});

describe("Acquirer, the simulation's parts", () => {
  test("a taken job lets the next waiting daemon ask at once, so a backlog drains without postings", async () => {
    const s = setUp();
    for (const w of ["w0", "w1", "w2"]) s.start(w);
    s.at(SECOND, () => {
      s.insert("job-1");
      s.insert("job-2");
      s.post("job-3");
    });
    await s.kernel.run();
    expect(s.asks.map((a) => [a.at, a.job])).toEqual([
      [0, null],
      [SECOND, "job-1"],
      [SECOND + ASK, "job-2"],
      [SECOND + 2 * ASK, "job-3"],
    ]);
  });

  test("an outage disconnects the waiting daemons when it starts; none asks inside it", async () => {
    const s = setUp({ outages: [{ at: START + 10 * SECOND, until: START + 20 * SECOND }] });
    s.start("w0");
    s.start("w1");
    s.at(15 * SECOND, () => s.post("job-1"));
    await s.kernel.run();
    expect(s.asks.map((a) => a.at)).toEqual([0]);
    expect(s.results.get("w0")).toEqual({ stopped: "outage", at: 10 * SECOND });
    expect(s.results.get("w1")).toEqual({ stopped: "outage", at: 10 * SECOND });
  });

  test("which waiting daemon a posting wakes is drawn from the seeded stream: same seed, same daemon", async () => {
    const winners = async (seed: string) => {
      const s = setUp({ seed });
      for (let i = 0; i < 8; i++) s.start(`w${i}`);
      s.at(SECOND, () => s.post("job-1"));
      s.at(2 * SECOND, () => s.post("job-2"));
      await s.kernel.run({ until: START + 3 * SECOND });
      return s.asks.filter((a) => a.job !== null).map((a) => a.worker);
    };
    expect(await winners("a")).toEqual(await winners("a"));
    const seen = new Set<string>();
    for (const seed of ["a", "b", "c", "d", "e", "f"]) seen.add((await winners(seed)).join());
    expect(seen.size).toBeGreaterThan(1);
  });

  test("property: one ask at a time per domain, and every job is taken within a backup poll of its insert", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 5 }),
        fc.array(fc.record({ at: fc.integer({ min: 0, max: 120 }), posted: fc.boolean() }), { maxLength: 8 }),
        async (daemons, jobs) => {
          const s = setUp();
          for (let i = 0; i < daemons; i++) s.start(`w${i}`);
          const inserted = new Map<string, number>();
          jobs.forEach((j, i) => {
            s.at(j.at * SECOND, () => {
              inserted.set(`job-${i}`, j.at * SECOND);
              if (j.posted) s.post(`job-${i}`);
              else s.insert(`job-${i}`);
            });
          });
          await s.kernel.run({ until: START + 300 * SECOND });
          expect(s.overlaps).toBe(0);
          const taken = s.asks.filter((a) => a.job !== null);
          // Each daemon takes one job and stops; the others stay queued.
          expect(taken.length).toBe(Math.min(daemons, jobs.length));
          for (const a of taken) {
            const since = a.at - (inserted.get(a.job as string) as number);
            expect(since).toBeGreaterThanOrEqual(0);
            // Waiting for the poll, then behind at most `daemons` asks of the chain.
            expect(since).toBeLessThanOrEqual(BACKUP + daemons * ASK);
          }
        },
      ),
      { numRuns: 60 },
    );
  });
});
