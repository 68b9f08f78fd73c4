import { describe, expect, it } from "vitest";
import { TraceDigestBuilder } from "../../src/report/traceDigest.ts";
import type { TraceLine } from "../../src/trace/trace.ts";

const T0 = Date.UTC(2026, 2, 2, 6, 0, 0);
const at = (ms: number) => new Date(T0 + ms).toISOString();

function digest(lines: Array<Omit<TraceLine, "seq" | "t"> & { ms: number }>) {
  const b = new TraceDigestBuilder();
  lines.forEach(({ ms, ...rest }, i) => {
    b.add({ seq: i + 1, t: at(ms), ...rest } as TraceLine, i + 1);
  });
  return b.finish();
}

describe("TraceDigestBuilder", () => {
  it("labels operator actions and keeps what they concern", () => {
    const d = digest([
      { ms: 0, actor: "operator", kind: "operator.promote", template: "dev", version: "v2" },
      { ms: 1, actor: "operator", kind: "operator.setDesired", preset: "dev/v2/small", instances: 4 },
      { ms: 2, actor: "operator", kind: "operator.pause", paused: true },
      { ms: 3, actor: "operator", kind: "operator.pause", paused: false },
      { ms: 4, actor: "operator", kind: "operator.deleteTemplate", template: "dev" },
    ]);
    expect(d.operator.map((m) => [m.action, m.label, m.template ?? null])).toEqual([
      ["promote", "promote v2", "dev"],
      ["setDesired", "desired → 4", null],
      ["pause", "pause", null],
      ["pause", "resume", null],
      ["deleteTemplate", "delete template", "dev"],
    ]);
    expect(d.operator[1]?.preset).toBe("dev/v2/small");
  });

  it("builds fault windows from until, from fault.end, and as instants", () => {
    const d = digest([
      { ms: 0, actor: "fault", kind: "fault.start", fault: "provisioner-outage", until: at(900) },
      {
        ms: 100,
        actor: "fault",
        kind: "fault.start",
        fault: "db-errors",
        query: "GetRunningPrebuiltWorkspaces",
      },
      { ms: 500, actor: "fault", kind: "fault.end", fault: "db-errors" },
      { ms: 600, actor: "fault", kind: "fault.start", fault: "lock-connection-lost", replica: 1 },
      {
        ms: 700,
        actor: "fault",
        kind: "fault.start",
        fault: "build-failures",
        preset: "dev/small",
        until: at(800),
      },
    ]);
    expect(d.faults).toEqual([
      { fault: "provisioner-outage", from: T0, to: T0 + 900, line: 1 },
      { fault: "db-errors", from: T0 + 100, to: T0 + 500, line: 2 },
      { fault: "lock-connection-lost", from: T0 + 600, to: null, line: 4, replica: 1 },
      { fault: "build-failures", from: T0 + 700, to: T0 + 800, line: 5, preset: "dev/small" },
    ]);
  });

  it("marks the fault a fault.noop line names: by index when both carry one, else the earliest unmarked of its kind and replica", () => {
    const lost = (ms: number, replica: number, index?: number) => ({
      ms,
      actor: "fault",
      kind: "fault.start",
      fault: "lock-connection-lost",
      replica,
      ...(index === undefined ? {} : { index }),
    });
    const d = digest([
      lost(0, 0),
      lost(0, 1),
      lost(10, 1),
      { ms: 50, actor: "fault", kind: "fault.noop", fault: "lock-connection-lost", replica: 1 },
      lost(60, 2, 7),
      lost(60, 2, 8),
      { ms: 90, actor: "fault", kind: "fault.noop", fault: "lock-connection-lost", index: 8 },
    ]);
    expect(d.faults.map((f) => [f.replica, f.noop === true])).toEqual([
      [0, false],
      [1, true],
      [1, false],
      [2, false],
      [2, true],
    ]);
  });

  it("merges the backoff periods every replica logs for a preset", () => {
    const backoff = (ms: number, until: number) => ({
      ms,
      actor: "replica-0",
      kind: "reconcile.preset",
      preset: "ml/v1/gpu",
      presetId: "p",
      state: {},
      actions: [{ type: "backoff", backoffUntil: at(until) }],
    });
    const d = digest([backoff(0, 60_000), backoff(30_000, 60_000), backoff(200_000, 260_000)]);
    expect(d.backoffs.get("ml/v1/gpu")).toEqual([
      { from: T0, to: T0 + 60_000 },
      { from: T0 + 200_000, to: T0 + 260_000 },
    ]);
  });

  it("records the moment a preset becomes hard-limited once per transition", () => {
    const status = (ms: number, s: string) => ({
      ms,
      actor: "replica-0",
      kind: "preset.status",
      preset: "ml/v1/gpu",
      presetId: "p",
      status: s,
    });
    const d = digest([
      status(0, "hard_limited"),
      status(10, "hard_limited"),
      status(20, "healthy"),
      status(30, "hard_limited"),
    ]);
    expect(d.hardLimits.map((h) => h.t - T0)).toEqual([0, 30]);
  });

  it("pairs cycle starts and ends per replica, claims, waits and workspace presets", () => {
    const d = digest([
      { ms: 0, actor: "replica-0", kind: "reconcile.cycle.start" },
      { ms: 1, actor: "replica-1", kind: "reconcile.cycle.start" },
      {
        ms: 3,
        actor: "replica-1",
        kind: "reconcile.cycle.end",
        elapsedMs: 2,
        lockAcquired: false,
        paused: false,
        presetsTotal: 1,
        presetsReconciled: 0,
      },
      {
        ms: 40,
        actor: "replica-0",
        kind: "reconcile.cycle.end",
        elapsedMs: 40,
        lockAcquired: true,
        paused: false,
        presetsTotal: 1,
        presetsReconciled: 1,
      },
      {
        ms: 50,
        actor: "replica-0",
        kind: "build.create",
        workspace: "w1",
        preset: "dev/v1/small",
        build: "b",
        buildNumber: 1,
        transition: "start",
        initiator: "prebuilds",
        version: "v1",
        job: "j",
        purpose: "prebuild",
        orphan: false,
      },
      {
        ms: 60,
        actor: "user-1",
        kind: "claim.result",
        user: "user-1",
        preset: "dev/small",
        hit: true,
        workspace: "w1",
      },
      {
        ms: 70,
        actor: "user-1",
        kind: "claim.ready",
        user: "user-1",
        workspace: "w1",
        hit: true,
        waitMs: 10,
      },
      { ms: 80, actor: "replica-0", kind: "reconcile.cycle.start" },
    ]);
    expect(
      d.cycles.map((c) => [
        c.replica,
        c.from - T0,
        c.to === null ? null : c.to - T0,
        c.elapsedMs,
        c.lockAcquired,
      ]),
    ).toEqual([
      ["replica-0", 0, 40, 40, true],
      ["replica-1", 1, 3, 2, false],
      ["replica-0", 80, null, null, null],
    ]);
    expect(d.claims).toEqual([{ t: T0 + 60, preset: "dev/small", hit: true }]);
    expect(d.waits).toEqual([{ t: T0 + 70, hit: true, waitMs: 10 }]);
    expect(d.workspacePreset.get("w1")).toBe("dev/v1/small");
    expect(d.lineCount).toBe(8);
  });

  it("counts log messages, most severe first, then most frequent", () => {
    const log = (ms: number, actor: string, level: string, msg: string) => ({
      ms,
      actor,
      kind: "log",
      level,
      msg,
    });
    const d = digest([
      log(0, "replica-0", "warn", "backoff"),
      log(1, "replica-1", "warn", "backoff"),
      log(2, "replica-0", "error", "boom"),
      log(3, "replica-0", "warn", "rare"),
    ]);
    expect(d.logs.map((l) => [l.level, l.msg, l.count, l.firstLine, l.actors])).toEqual([
      ["error", "boom", 1, 3, ["replica-0"]],
      ["warn", "backoff", 2, 1, ["replica-0", "replica-1"]],
      ["warn", "rare", 1, 4, ["replica-0"]],
    ]);
  });

  it("names the line and field of a malformed record", () => {
    expect(() =>
      digest([
        {
          ms: 0,
          actor: "user-1",
          kind: "claim.result",
          user: "user-1",
          preset: "p",
          hit: "yes",
          workspace: "w",
        },
      ]),
    ).toThrow(/trace\.jsonl line 1 \(claim\.result\): field hit should be a boolean/);
    expect(() =>
      digest([{ ms: 0, actor: "replica-3", kind: "reconcile.cycle.end", elapsedMs: 1, lockAcquired: true }]),
    ).toThrow(/line 1: replica-3 ends a reconcile cycle it never started/);
  });
});
