// Go's `select` over receives: waits (parked) until one of the sources has a value and returns
// which one and the value. When several are ready at once, the fifo policy takes the first in
// argument order and the random policy a seeded random one (Go picks uniformly at random).
//   const s = await select(kernel, ctx, ticker.c);
//   if (s.index === 0) return; // canceled
import type { Describable, Parked } from "../clock/host.ts";
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
  if (kernel.policy === "random") {
    const order = sources.map((_, i) => i);
    for (const i of kernel.rng.stream("select").shuffle(order)) {
      const v = (sources[i] as Selectable<unknown>).poll();
      if (v !== EMPTY) return Promise.resolve({ index: i, value: v } as Selected<S>);
    }
  } else {
    for (let i = 0; i < sources.length; i++) {
      const v = (sources[i] as Selectable<unknown>).poll();
      if (v !== EMPTY) return Promise.resolve({ index: i, value: v } as Selected<S>);
    }
  }
  const waiting = new Waiting(sources, kernel.park<Selected<S>>(new SelectReason(sources)));
  for (let i = 0; i < sources.length; i++)
    (sources[i] as Selectable<unknown>).addReceiver(waiting.cases[i] as Receiver<unknown>);
  return waiting.parked.promise;
}

// A select that parks is on every task's hot path (an idle provisioner daemon selects once a
// second): its cases are objects of these classes rather than closures, so a select costs one
// object per source and no function objects (and, under tsx, no defineProperty per closure).

/** A parked select: the first case delivered wins, and the others stop listening. */
class Waiting<T> {
  done = false;
  readonly cases: SelectCase<T>[] = [];

  constructor(
    readonly sources: readonly Selectable<unknown>[],
    readonly parked: Parked<T>,
  ) {
    for (let i = 0; i < sources.length; i++) this.cases.push(new SelectCase(this, i));
  }

  deliver(index: number, value: unknown): boolean {
    if (this.done) return false;
    this.done = true;
    for (let j = 0; j < this.sources.length; j++)
      if (j !== index)
        (this.sources[j] as Selectable<unknown>).removeReceiver(this.cases[j] as Receiver<unknown>);
    this.parked.deliver({ index, value } as T);
    return true;
  }
}

/** One source's receiver in a parked select. */
class SelectCase<T> implements Receiver<unknown> {
  constructor(
    private readonly waiting: Waiting<T>,
    private readonly index: number,
  ) {}

  deliver(value: unknown): boolean {
    return this.waiting.deliver(this.index, value);
  }
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
