// Generated task programs for the kernel's properties, an interpreter that runs them on the kernel,
// and an independent model of their outcome.
//
// Why a model can predict deadlock exactly: every channel has one writer task and one reader task,
// and no task chooses between channels, so the programs are Kahn process networks; a bounded
// channel is a pair of unbounded ones (values, free slots). Such networks are determinate: which
// operations complete, and so which tasks end up blocked, does not depend on the schedule. The
// mutex is only held around a sleep, so it delays tasks but can never block one for good.
import fc from "fast-check";
import { SECOND } from "../../src/clock/index.ts";
import {
  Channel,
  DeadlockError,
  Kernel,
  type KernelEvent,
  Mutex,
  type SchedulingPolicy,
} from "../../src/kernel/index.ts";

export type Op =
  | { readonly kind: "sleep"; readonly ms: number }
  | { readonly kind: "yield" }
  | { readonly kind: "send"; readonly ch: number }
  | { readonly kind: "recv"; readonly ch: number }
  | { readonly kind: "critical"; readonly ms: number }
  | { readonly kind: "spawn"; readonly task: number };

export interface ChannelSpec {
  readonly writer: number;
  readonly reader: number;
  readonly capacity: number;
}

/** Task 0 is spawned first and spawns every other task from its own program. */
export interface Program {
  readonly channels: readonly ChannelSpec[];
  readonly tasks: readonly (readonly Op[])[];
}

const duration = fc.integer({ min: 0, max: 4 }).map((k) => k * 500);

const rawOp = fc.oneof(
  duration.map((ms): Op => ({ kind: "sleep", ms })),
  fc.constant<Op>({ kind: "yield" }),
  fc.nat(3).map((ch): Op => ({ kind: "send", ch })),
  fc.nat(3).map((ch): Op => ({ kind: "recv", ch })),
  duration.map((ms): Op => ({ kind: "critical", ms })),
);

/** Programs of 1–4 tasks and up to 4 channels; channel operations a task may not do become yields. */
export const programArb: fc.Arbitrary<Program> = fc.integer({ min: 1, max: 4 }).chain((n) =>
  fc
    .record({
      channels: fc.array(
        fc.record({
          writer: fc.nat(n - 1),
          offset: fc.nat(Math.max(0, n - 2)),
          capacity: fc.integer({ min: 0, max: 2 }),
        }),
        { maxLength: n > 1 ? 4 : 0 },
      ),
      ops: fc.array(fc.array(rawOp, { maxLength: 6 }), { minLength: n, maxLength: n }),
      spawnAt: fc.array(fc.nat(6), { minLength: n, maxLength: n }),
    })
    .map(({ channels, ops, spawnAt }) => {
      const specs = channels.map((c) => ({
        writer: c.writer,
        reader: (c.writer + 1 + c.offset) % n,
        capacity: c.capacity,
      }));
      const tasks = ops.map((list, t) =>
        list.map((op): Op => {
          if (op.kind === "send" && specs[op.ch]?.writer !== t) return { kind: "yield" };
          if (op.kind === "recv" && specs[op.ch]?.reader !== t) return { kind: "yield" };
          return op;
        }),
      );
      const root = [...(tasks[0] ?? [])];
      for (let t = n - 1; t >= 1; t--)
        root.splice(Math.min(spawnAt[t] ?? 0, root.length), 0, { kind: "spawn", task: t });
      tasks[0] = root;
      return { channels: specs, tasks };
    }),
);

export interface BlockedTask {
  readonly name: string;
  readonly waitsFor: string;
}

/** The model's verdict: the tasks left blocked (empty when the program finishes). */
export function predictBlocked(p: Program): BlockedTask[] {
  const n = p.tasks.length;
  const pc = new Array<number>(n).fill(0);
  const spawned = new Array<boolean>(n).fill(false);
  spawned[0] = true;
  const sent = p.channels.map(() => 0);
  const received = p.channels.map(() => 0);
  const at = (t: number, kind: "send" | "recv", ch: number): boolean => {
    const op = spawned[t] ? p.tasks[t]?.[pc[t] as number] : undefined;
    return op !== undefined && op.kind === kind && op.ch === ch;
  };
  for (let progress = true; progress; ) {
    progress = false;
    for (let t = 0; t < n; t++) {
      if (!spawned[t]) continue;
      const op = p.tasks[t]?.[pc[t] as number];
      if (!op) continue;
      let done = true;
      if (op.kind === "spawn") spawned[op.task] = true;
      else if (op.kind === "send") {
        const c = p.channels[op.ch] as ChannelSpec;
        done =
          (sent[op.ch] as number) + 1 <=
          c.capacity + (received[op.ch] as number) + (at(c.reader, "recv", op.ch) ? 1 : 0);
        if (done) sent[op.ch] = (sent[op.ch] as number) + 1;
      } else if (op.kind === "recv") {
        const c = p.channels[op.ch] as ChannelSpec;
        done =
          (received[op.ch] as number) + 1 <= (sent[op.ch] as number) + (at(c.writer, "send", op.ch) ? 1 : 0);
        if (done) received[op.ch] = (received[op.ch] as number) + 1;
      }
      if (done) {
        pc[t] = (pc[t] as number) + 1;
        progress = true;
      }
    }
  }
  const blocked: BlockedTask[] = [];
  for (let t = 0; t < n; t++) {
    const op = spawned[t] ? p.tasks[t]?.[pc[t] as number] : undefined;
    if (op?.kind === "send") blocked.push({ name: `t${t}`, waitsFor: `send to channel c${op.ch}` });
    if (op?.kind === "recv") blocked.push({ name: `t${t}`, waitsFor: `receive from channel c${op.ch}` });
  }
  return blocked;
}

export interface KernelRun {
  readonly blocked: BlockedTask[];
  readonly trace: KernelEvent[];
  /** Each task's completed operations, in completion order, as `t<task>:<op index>`. */
  readonly steps: string[];
}

/** Runs the program on a kernel; throws if the run ends in anything but success or a deadlock. */
export async function runOnKernel(
  p: Program,
  policy: SchedulingPolicy,
  seed: number,
  options: { traced: boolean } = { traced: true },
): Promise<KernelRun> {
  const kernel = new Kernel({ policy, seed, watchdog: false });
  const trace: KernelEvent[] = [];
  if (options.traced) kernel.onEvent((e) => trace.push(e));
  const channels = p.channels.map((c, i) => new Channel<number>(kernel, `c${i}`, c.capacity));
  const mutex = new Mutex(kernel, "m");
  const steps: string[] = [];
  const body = (t: number) => async (): Promise<void> => {
    const ops = p.tasks[t] ?? [];
    for (let i = 0; i < ops.length; i++) {
      const op = ops[i] as Op;
      switch (op.kind) {
        case "sleep":
          await kernel.clock.sleep(op.ms);
          break;
        case "yield":
          await kernel.yield();
          break;
        case "send":
          await (channels[op.ch] as Channel<number>).send(i);
          break;
        case "recv":
          await (channels[op.ch] as Channel<number>).receive();
          break;
        case "critical":
          await mutex.lock();
          await kernel.clock.sleep(op.ms);
          mutex.unlock();
          break;
        case "spawn":
          kernel.spawn(`t${op.task}`, body(op.task));
          break;
      }
      steps.push(`t${t}:${i}`);
    }
  };
  kernel.spawn("t0", body(0));
  try {
    await kernel.run({ until: kernel.now + 1000 * SECOND });
    return { blocked: [], trace, steps };
  } catch (error) {
    if (!(error instanceof DeadlockError)) throw error;
    const blocked = error.parked.map((b) => ({ name: b.name, waitsFor: b.waitsFor }));
    return { blocked: blocked.sort((a, b) => a.name.localeCompare(b.name)), trace, steps };
  }
}
