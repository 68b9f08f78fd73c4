// Progress of one simulation in virtual time: "name seed 7: 03:12 of 08:00 simulated (40%)".
import type { Instant } from "../../clock/types.ts";
import type { Scenario } from "../../scenario/scenario.ts";
import type { Progress } from "../progress.ts";

function hhmm(ms: number): string {
  const minutes = Math.floor(ms / 60_000);
  return `${String(Math.floor(minutes / 60)).padStart(2, "0")}:${String(minutes % 60).padStart(2, "0")}`;
}

export function virtualProgress(
  progress: Progress,
  scenario: Scenario,
  seed: number,
): ((now: Instant) => void) | undefined {
  if (!progress.enabled) return undefined;
  return (now) => {
    const done = Math.max(0, now - scenario.start);
    const pct = Math.floor((100 * done) / scenario.duration);
    progress.update(
      `${scenario.name} seed ${seed}: ${hhmm(done)} of ${hhmm(scenario.duration)} simulated (${pct}%)`,
    );
  };
}
