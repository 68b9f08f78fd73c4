// Simulated actors outside coderd's request paths — provisioner daemons, agents, the operator —
// talk to the database through APIs that retry: a provisioner daemon whose job update failed
// reports it again, an operator re-runs the command. So when a `db-errors` fault fails one of their
// round trips they log it, wait, and try again, instead of dying with a half-done job.
import type { Clock, Duration } from "../clock/types.ts";
import { DatabaseError } from "../db/errors.ts";
import { type Context, type Kernel, select } from "../kernel/index.ts";
import type { TraceRecord } from "../trace/trace.ts";

/**
 * How long a simulated actor waits before it repeats a round trip a database fault failed. Upstream
 * clients retry at once or after a short backoff; virtual time only moves with a wait.
 */
export const API_RETRY_INTERVAL: Duration = 1_000;

export interface RetryDeps {
  readonly kernel: Kernel;
  readonly clock: Clock;
  readonly emit: (record: TraceRecord) => void;
  /** How many failed attempts in a row are retried (WorldSettings.retryAttempts; default unlimited). */
  readonly settings?: { readonly retryAttempts: number };
}

/** Why a retry loop gave up: the run (or the actor) was canceled while it waited. */
export class RetryCanceledError extends Error {
  override readonly name = "RetryCanceledError";
  constructor(what: string) {
    super(`${what}: canceled while retrying after a database error`);
  }
}

/**
 * Runs `fn` until it succeeds, waiting `every` after each DatabaseError (other errors propagate).
 * Rejects with RetryCanceledError when `ctx` ends while waiting, and with the DatabaseError itself
 * once `settings.retryAttempts` attempts in a row failed.
 */
export async function retryOnDatabaseError<T>(
  deps: RetryDeps,
  ctx: Context,
  actor: string,
  what: string,
  every: Duration,
  fn: () => Promise<T>,
): Promise<T> {
  const attempts = deps.settings?.retryAttempts ?? Number.POSITIVE_INFINITY;
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (err) {
      if (!(err instanceof DatabaseError) || attempt >= attempts) throw err;
      deps.emit({
        actor,
        kind: "log",
        level: "warn",
        msg: `${what} failed; retrying`,
        fields: { error: err.message },
      });
    }
    const timer = deps.clock.newTimer(every, actor, "retry");
    const woke = await select(deps.kernel, ctx, timer.c);
    timer.stop();
    if (woke.index === 0) throw new RetryCanceledError(what);
  }
}
