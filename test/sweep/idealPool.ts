// Queueing theory for the Erlang-B comparison (erlang.test.ts): the Erlang B formula, and the
// idealised prebuild pool it approximates — Poisson claims take a ready prebuild if there is one
// (else they miss), each claimed prebuild is re-ordered at the next reconcile tick and is ready a
// fixed time later. The idealised pool has no database, no latency and no provisioner queue: it is
// what the simulation should reduce to, and replicating it tells how much a run of n claims scatters.
import { exponential, type RandomStream } from "../../src/kernel/rng.ts";

/** Erlang B: the probability that a Poisson arrival finds all `servers` busy at offered load `load`. */
export function erlangB(servers: number, load: number): number {
  let b = 1;
  for (let k = 1; k <= servers; k++) b = (load * b) / (k + load * b);
  return b;
}

export interface IdealPool {
  /** claims per ms */
  rate: number;
  /** reconcile ticks at every multiple of this (ms), the first one after the start */
  reconcileEvery: number;
  /** from the tick that re-orders a prebuild to its being claimable: build time + agent ready time (ms) */
  readyAfter: number;
  desired: number;
}

/** Misses among the first `claims` claims of an idealised pool that starts empty, as the simulation does. */
export function idealPoolMisses(pool: IdealPool, claims: number, stream: RandomStream): number {
  let t = 0;
  let ready = 0;
  // Instants at which re-ordered prebuilds become claimable; non-decreasing, so a FIFO queue.
  const coming: number[] = [];
  let head = 0;
  // The empty pool is filled at the first tick.
  for (let i = 0; i < pool.desired; i++) coming.push(pool.reconcileEvery + pool.readyAfter);
  let misses = 0;
  for (let i = 0; i < claims; i++) {
    t += exponential(stream, 1 / pool.rate);
    while (head < coming.length && (coming[head] as number) <= t) {
      head++;
      ready++;
    }
    if (ready === 0) {
      misses++;
      continue;
    }
    ready--;
    coming.push(Math.ceil(t / pool.reconcileEvery) * pool.reconcileEvery + pool.readyAfter);
  }
  return misses;
}
