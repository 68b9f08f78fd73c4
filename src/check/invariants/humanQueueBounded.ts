// `human-queue-bounded` (liveness): a person's build (a claim, a regular workspace) waits in the
// provisioner queue — from its build to a daemon taking its job — no longer than
// `expect.maxHumanQueueWait` while daemons are busy taking prebuild jobs (the starvation of
// INC-09: a FIFO queue flooded with prebuilds). A wait during which no prebuild job was taken
// (every daemon down, an outage) is not starvation behind prebuilds and is not judged. A job still
// waiting when the run ends is judged by its wait so far.
import type { Instant } from "../../clock/types.ts";
import type { TraceLine } from "../../trace/trace.ts";
import type { EndState } from "../endState.ts";
import type { InvariantChecker } from "../invariant.ts";
import { ViolationLog } from "../invariant.ts";
import { instantOf, isKind, PREBUILDS_INITIATOR } from "../lines.ts";
import type { RunModel } from "../runModel.ts";

interface Waiting {
  readonly workspace: string;
  readonly user: string;
  readonly line: number;
  readonly at: Instant;
  /** Lines of the prebuild jobs taken while it waited. */
  readonly bypassed: number[];
}

export class HumanQueueBounded implements InvariantChecker {
  readonly name = "human-queue-bounded";
  readonly kind = "liveness";
  readonly #log = new ViolationLog(this.name);
  /** job → the person's build waiting for a daemon */
  readonly #waiting = new Map<string, Waiting>();

  get violations() {
    return this.#log.entries;
  }

  observe(line: TraceLine, model: RunModel): void {
    if (isKind(line, "build.create")) {
      if (line.initiator === PREBUILDS_INITIATOR || line.orphan) return;
      this.#waiting.set(line.job, {
        workspace: line.workspace,
        user: line.actor,
        line: line.seq,
        at: instantOf(line),
        bypassed: [],
      });
    } else if (isKind(line, "job.acquire")) {
      const waiting = this.#waiting.get(line.job);
      if (waiting !== undefined) {
        this.#waiting.delete(line.job);
        this.#judge(waiting, instantOf(line), line.seq, model);
        return;
      }
      const job = model.job(line.job);
      const build =
        job === undefined ? undefined : model.workspace(job.workspace)?.builds.find((b) => b.job === job);
      if (build?.initiator === PREBUILDS_INITIATOR)
        for (const w of this.#waiting.values()) if (w.bypassed.length < 20) w.bypassed.push(line.seq);
    } else if (isKind(line, "job.cancel") || isKind(line, "job.complete")) {
      this.#waiting.delete(line.job);
    }
  }

  #judge(w: Waiting, until: Instant, endLine: number | undefined, model: RunModel): void {
    const limit = model.scenario.expect.maxHumanQueueWait;
    if (until - w.at <= limit || w.bypassed.length === 0) return;
    const waited = Math.round((until - w.at) / 1000);
    this.#log.add(
      w.at + limit,
      w.workspace,
      `${w.user}'s build of workspace ${w.workspace} waited ${waited} s for a provisioner (expect.maxHumanQueueWait ${limit / 1000} s) while prebuild jobs were taken`,
      [w.line, ...w.bypassed.slice(0, 5), endLine],
    );
  }

  finish(end: EndState, model: RunModel): void {
    for (const w of this.#waiting.values()) this.#judge(w, end.end, undefined, model);
    this.#waiting.clear();
  }
}
