// Go's `select` over receives: waits (parked) until one of the sources has a value and returns
// which one and the value. When several are ready at once, the fifo policy takes the first in
// argument order and the random policy a seeded random one (Go picks uniformly at random).
//   const s = await select(kernel, ctx, ticker.c);
//   if (s.index === 0) return; // canceled
import type { Describable } from "../clock/host.ts";
import { EMPTY, type Receiver, type Selectable } from "../clock/selectable.ts";
import type { Kernel } from "./kernel.ts";

type ValueOf<S> = S extends Selectable<infer T> ? T : never;

/** The case that fired: its position among the sources, and its value. */
export type Selected<S extends readonly Selectable<unknown>[]> = {
  [K in keyof S]: {
    readonly index: K extends `${infer N extends number}` ? N : number;
    readonly value: ValueOf<S[K]>;
  };
}[number];

export function select<const S extends readonly Selectable<unknown>[]>(
  kernel: Kernel,
  ...sources: S
): Promise<Selected<S>> {
  if (sources.length === 0) throw new RangeError("select: no sources (it would wait forever)");
  const order = sources.map((_, i) => i);
  const pollOrder = kernel.policy === "random" ? kernel.rng.stream("select").shuffle(order) : order;
  for (const i of pollOrder) {
    const v = (sources[i] as Selectable<unknown>).poll();
    if (v !== EMPTY) return Promise.resolve({ index: i, value: v } as Selected<S>);
  }
  const parked = kernel.park<Selected<S>>(new SelectReason(sources));
  let done = false;
  const receivers: Receiver<unknown>[] = order.map((i) => ({
    deliver(value: unknown): boolean {
      if (done) return false;
      done = true;
      sources.forEach((s, j) => {
        if (j !== i) s.removeReceiver(receivers[j] as Receiver<unknown>);
      });
      parked.deliver({ index: i, value } as Selected<S>);
      return true;
    },
  }));
  sources.forEach((s, i) => {
    s.addReceiver(receivers[i] as Receiver<unknown>);
  });
  return parked.promise;
}

/**
 * Why a select waits, described only when a trace or report asks. A class, not an object with an
 * arrow function: under tsx (esbuild's keepNames) every named closure costs a defineProperty, and a
 * select that parks is on every task's hot path.
 */
class SelectReason implements Describable {
  constructor(private readonly sources: readonly Selectable<unknown>[]) {}

  describe(): string {
    return `select on ${this.sources.map((s) => s.label).join(" | ")}`;
  }
}
