// Seeded randomness: one run seed, many independent named streams.
// Each component draws from its own stream (`rng.stream("provisioner")`) so that adding a draw in
// one component does not shift the choices of every other one (ARCHITECTURE.md §6).
import seedrandom from "seedrandom";
import type { Duration, Instant } from "../clock/types.ts";

export interface RandomStream {
  readonly name: string;
  /** Uniform in [0, 1). */
  next(): number;
  /** Uniform integer in [0, n). */
  int(n: number): number;
  /** True with probability p. */
  bool(p: number): boolean;
  /** A version-4 UUID drawn from this stream. */
  uuid(): string;
  choice<T>(items: readonly T[]): T;
  /** A shuffled copy (Fisher–Yates). */
  shuffle<T>(items: readonly T[]): T[];
}

class AleaStream implements RandomStream {
  readonly #prng: seedrandom.PRNG;
  constructor(
    readonly name: string,
    seed: string,
  ) {
    this.#prng = seedrandom.alea(seed);
  }
  next(): number {
    return this.#prng.double();
  }
  int(n: number): number {
    if (!Number.isInteger(n) || n <= 0)
      throw new RangeError(`rng ${this.name}: int(n) needs a positive integer, got ${n}`);
    return Math.floor(this.next() * n);
  }
  bool(p: number): boolean {
    if (p <= 0) return false;
    if (p >= 1) return true;
    return this.next() < p;
  }
  uuid(): string {
    const bytes: number[] = [];
    for (let i = 0; i < 4; i++) {
      const word = this.#prng.int32() >>> 0;
      bytes.push((word >>> 24) & 0xff, (word >>> 16) & 0xff, (word >>> 8) & 0xff, word & 0xff);
    }
    bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x40;
    bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80;
    const hex = bytes.map((b) => b.toString(16).padStart(2, "0")).join("");
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
  }
  choice<T>(items: readonly T[]): T {
    if (items.length === 0) throw new RangeError(`rng ${this.name}: choice from an empty list`);
    return items[this.int(items.length)] as T;
  }
  shuffle<T>(items: readonly T[]): T[] {
    const out = items.slice();
    for (let i = out.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      [out[i], out[j]] = [out[j] as T, out[i] as T];
    }
    return out;
  }
}

/** The run's source of randomness: named streams derived from one seed. */
export class Rng {
  readonly #streams = new Map<string, RandomStream>();
  constructor(readonly seed: number | string) {}
  /** The stream with this name; the same name always gives the same stream object. */
  stream(name: string): RandomStream {
    let s = this.#streams.get(name);
    if (!s) {
      s = new AleaStream(name, `prebuildsim/${String(this.seed)}/${name}`);
      this.#streams.set(name, s);
    }
    return s;
  }
}

/** How a duration is drawn, as scenario files write it (SCENARIOS.md §1). */
export type DurationDistribution =
  | { readonly fixed: Duration }
  | { readonly uniform: readonly [Duration, Duration] }
  | { readonly median: Duration; readonly p90: Duration };

/** The 90th percentile of the standard normal distribution. */
const Z90 = 1.2815515655446004;

/** A standard normal draw (Box–Muller; always consumes two uniforms). */
export function standardNormal(s: RandomStream): number {
  const u1 = 1 - s.next(); // (0, 1]: log is finite
  const u2 = s.next();
  return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
}

/** Exponential with the given mean. */
export function exponential(s: RandomStream, mean: number): number {
  return -Math.log(1 - s.next()) * mean;
}

/** A duration drawn from the distribution, rounded to whole milliseconds, never negative. */
export function sampleDuration(s: RandomStream, d: DurationDistribution): Duration {
  if ("fixed" in d) return Math.max(0, Math.round(d.fixed));
  if ("uniform" in d) {
    const [lo, hi] = d.uniform;
    return Math.max(0, Math.round(lo + s.next() * (hi - lo)));
  }
  // Log-normal with the given median and 90th percentile.
  if (d.median <= 0) return 0;
  const mu = Math.log(d.median);
  const sigma = d.p90 > d.median ? (Math.log(d.p90) - mu) / Z90 : 0;
  return Math.max(0, Math.round(Math.exp(mu + sigma * standardNormal(s))));
}

/**
 * Arrival instants of a Poisson process with `ratePerHour` in [from, to), in order.
 * `multiplier(t)` (default 1) thins the process, so a time-varying rate up to
 * `ratePerHour × maxMultiplier` is exact (Lewis–Shedler thinning).
 */
export function poissonArrivals(
  s: RandomStream,
  ratePerHour: number,
  from: Instant,
  to: Instant,
  multiplier: (t: Instant) => number = () => 1,
  maxMultiplier = 1,
): Instant[] {
  const out: Instant[] = [];
  const peak = ratePerHour * maxMultiplier;
  if (peak <= 0) return out;
  const meanGap = 3_600_000 / peak;
  let t = from;
  for (;;) {
    t += exponential(s, meanGap);
    if (t >= to) return out;
    const accept = multiplier(t) / maxMultiplier;
    if (s.next() < accept) out.push(Math.floor(t));
  }
}
