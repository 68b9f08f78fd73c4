// Option values of the command line that name seeds: `--seed 7`, `--seeds 1..500`, `--shard 2/4`.
// A malformed value is bad input (exit 2), reported with the option and what was expected.
import { InputError } from "../run/inputError.ts";

/** Seeds are non-negative safe integers: they name RNG streams and appear in file names. */
export function parseSeed(text: string, option = "--seed"): number {
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(Number(text)))
    throw new InputError(`${option}: expected a whole number ≥ 0, got ${JSON.stringify(text)}`);
  return Number(text);
}

export interface SeedRange {
  from: number;
  to: number;
}

/** The most seeds one exploration may ask for: a typo like `1..50000000` should not run for weeks. */
export const MAX_SEEDS = 1_000_000;

/** `1..500` (inclusive) or a single seed `7`. */
export function parseSeedRange(text: string): SeedRange {
  const m = /^(\d+)\.\.(\d+)$/.exec(text);
  if (m === null) {
    if (/^\d+$/.test(text)) {
      const seed = parseSeed(text, "--seeds");
      return { from: seed, to: seed };
    }
    throw new InputError(`--seeds: expected a range like 1..500 or one seed, got ${JSON.stringify(text)}`);
  }
  const from = parseSeed(m[1] as string, "--seeds");
  const to = parseSeed(m[2] as string, "--seeds");
  if (to < from) throw new InputError(`--seeds: the range ${text} is empty (${to} < ${from})`);
  if (to - from + 1 > MAX_SEEDS)
    throw new InputError(
      `--seeds: ${to - from + 1} seeds is more than the ${MAX_SEEDS} one exploration runs`,
    );
  return { from, to };
}

export interface Shard {
  /** 1-based */
  index: number;
  count: number;
}

/** `2/4`: the second of four shards. */
export function parseShard(text: string): Shard {
  const m = /^(\d+)\/(\d+)$/.exec(text);
  const index = Number(m?.[1]);
  const count = Number(m?.[2]);
  if (m === null || count < 1 || index < 1 || index > count)
    throw new InputError(`--shard: expected i/n with 1 ≤ i ≤ n, like 2/4, got ${JSON.stringify(text)}`);
  return { index, count };
}

/** The seeds of `range` this shard runs: every n-th, starting at the i-th (a fair split of slow and fast seeds). */
export function shardSeeds(range: SeedRange, shard: Shard = { index: 1, count: 1 }): number[] {
  const seeds: number[] = [];
  for (let s = range.from + shard.index - 1; s <= range.to; s += shard.count) seeds.push(s);
  return seeds;
}

/**
 * `--jobs`'s default for every command that runs seeds in worker processes (`explore`, `sweep`,
 * `suite`): two, one per core of the small CI machines it is sized for.
 */
export const DEFAULT_JOBS = 2;

/** `--jobs N`: worker processes, at least one. */
export function parseJobs(text: string): number {
  const n = parseSeed(text, "--jobs");
  if (n < 1 || n > 64) throw new InputError(`--jobs: expected 1 to 64 worker processes, got ${n}`);
  return n;
}
