// The command line's exit codes (SCENARIOS.md §3): scripts and CI jobs branch on them.
export const ExitCode = {
  /** Every invariant holds (allowed ones excepted); replay identical; nothing failed. */
  Ok: 0,
  /** A violation; replay diverged; some explored seed failed. */
  Failed: 1,
  /** Bad input: unreadable file, invalid scenario, bad option value. Nothing was written. */
  BadInput: 2,
  /** A bug or an environment failure inside prebuildsim. */
  Internal: 3,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];
