// The vocabulary of trace.jsonl. Every component that records something uses one of these kinds;
// checks (`src/check/`) and the report (`src/report/`) read them back. Add kinds here, with their
// fields, before emitting them. `actor` says who: `replica-N`, `provisioner-N`, `user-N`,
// `operator`, `fault`, `world`, `kernel`. Ids are UUID strings; preset keys are
// `template/version/preset`; durations are milliseconds.

export interface TraceKinds {
  /** First line: what runs. */
  "run.start": { scenario: string; seed: number; start: string; end: string };
  /** Last line. */
  "run.end": { tasksFailed: number };

  // Operator timeline (actor `operator`).
  "operator.promote": { template: string; version: string };
  "operator.setDesired": { preset: string; instances: number };
  "operator.pause": { paused: boolean };
  "operator.invalidate": { template: string; presets: string[] };
  "operator.deprecate": { template: string };
  "operator.deleteTemplate": { template: string };

  // Fault windows (actor `fault`). `until` is an ISO instant, absent for instantaneous faults.
  "fault.start": { fault: string; until?: string; [param: string]: unknown };
  "fault.end": { fault: string; index?: number };
  /** A cycle-triggered fault waits for `replica`'s (or the lock holder's) next locked cycle. */
  "fault.armed": { fault: string; index: number; replica: string; afterStatements: number };
  /**
   * What the fault did (counts by what they count), once its effect is complete; `until` ends its
   * disturbance. `subjects`: the notifications a notification fault took, by what each is about
   * (the job's id, the claimed workspace's id), in the order it took them.
   */
  "fault.effect": {
    fault: string;
    index: number;
    effect: Record<string, number>;
    until: string;
    subjects?: string[];
  };
  /** The fault changed nothing, and why. */
  "fault.noop": { fault: string; index: number; reason: string };

  // Reconciler (actor = the replica).
  "reconcile.cycle.start": Record<string, never>;
  "reconcile.cycle.end": {
    elapsedMs: number;
    lockAcquired: boolean;
    paused: boolean;
    presetsTotal: number;
    presetsReconciled: number;
    error?: string;
  };
  "reconcile.preset": {
    preset: string;
    presetId: string;
    state: Record<string, number>;
    actions: Array<{ type: string; create?: number; deleteIds?: string[]; backoffUntil?: string }>;
  };
  "preset.status": { preset: string; presetId: string; status: string };

  // Advisory locks (actor = the replica whose connection it is).
  "lock.acquire": { lock: number; connection: string };
  "lock.refused": { lock: number; connection: string; holder: string };
  "lock.release": { lock: number; connection: string };
  "lock.lost": { lock: number; connection: string };

  // Database writes that matter to invariants (actor = whoever made them).
  "workspace.create": { workspace: string; owner: string; template: string; name: string };
  "workspace.delete": { workspace: string };
  "build.create": {
    workspace: string;
    build: string;
    buildNumber: number;
    transition: "start" | "stop" | "delete";
    /** `prebuilds` for the system user, else the user id */
    initiator: string;
    preset: string | null;
    version: string;
    job: string;
    /** what the job input tells the provisioner */
    purpose: "prebuild" | "claim" | "regular";
    orphan: boolean;
  };
  "job.cancel": { job: string; workspace: string };
  "job.acquire": { job: string; daemon: string; queuedMs: number };
  "job.complete": { job: string; status: "succeeded" | "failed"; error?: string };
  "agent.lifecycle": { workspace: string; agent: string; state: string };
  /**
   * A claim build's job completed and coderd published the reinitialization event on the
   * workspace's channel (actor = the provisioner daemon that completed it); `error` when the
   * publish failed, so no agent will reinitialise.
   */
  "agent.reinit.publish": { workspace: string; owner: string; reason: string; error?: string };
  /**
   * A claimed prebuild's agent is ready again as its new owner's (actor `world`): `agent` is the
   * claim build's agent, `durationMs` runs from the event to `ready`.
   */
  "agent.reinit": { workspace: string; agent: string; owner: string; reason: string; durationMs: number };
  "notify.drop": { job: string };
  notification: { template: string; user: string; workspace: string };

  // People (actor `user-N`).
  "claim.request": { user: string; preset: string };
  "claim.result": { user: string; preset: string; hit: boolean; workspace: string; error?: string };
  "claim.ready": { user: string; workspace: string; hit: boolean; waitMs: number };
  /** A person's ordinary build (`workload.builds`): a new workspace without a preset. */
  "build.request": { user: string; template: string };
  "build.result": { user: string; template: string; workspace: string; error?: string };
  "build.ready": { user: string; workspace: string; waitMs: number };

  // Logs of warn level and above from the port's logger (actor = the component).
  log: { level: "warn" | "error" | "critical"; msg: string; fields?: Record<string, unknown> };

  // Kernel: a task threw an unexpected error (the `no-crash` invariant).
  "task.error": { task: string; error: string };
}

export type TraceKind = keyof TraceKinds;

/** A typed record for `Trace.emit`. */
export type TypedTraceRecord<K extends TraceKind = TraceKind> = { actor: string; kind: K } & TraceKinds[K];
