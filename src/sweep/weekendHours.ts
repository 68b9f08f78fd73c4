// The weekend half of the schedule advice, for a preset whose claims have a weekend shape
// (`weekend:` on a rate stream): the sweep's runs judge each local hour from the claims they saw in
// it, pooled over every day they covered, so they say nothing of a Saturday apart from a Monday.
// What the scenario does say is the claim rate of every weekend hour. A pool that meets the target
// at a weekday hour's rate meets it at any lower rate (same builds, same lead time), so each weekend
// hour takes the count of the weekday hour with the nearest rate at or above its own: no higher
// rate than the evidence needs, and never a rate the runs did not see met. Weekday hours the runs
// measured (claims in them) come first; one they never covered only when no measured hour fits. A weekend hour busier
// than every weekday hour gets the largest swept count ("not-met": nothing measured it), a weekend
// hour without claims the smallest. The weekday blocks then carry day-of-week `1-5` and the
// weekend's `0,6` (spec §3.5.2: 0 = Sunday), which upstream's overlap check keeps apart.
import type { ClaimStream, PresetRef } from "../scenario/scenario.ts";
import type { HourBasis } from "./scheduleAdvice.ts";

export const WEEKDAYS = "1-5";
export const WEEKEND_DAYS = "0,6";

export interface WeeklyRates {
  /** claims per hour at each local hour 0–23, Monday to Friday */
  weekday: number[];
  /** the same on Saturday and Sunday */
  weekend: number[];
}

/**
 * The preset's claim rate per local hour in `timezone`, weekdays and weekends apart; null when no
 * stream of the preset has a weekend shape there. Streams without hours count their flat rate at
 * every hour; a diurnal stream in another zone is left out (its hours are not these).
 */
export function weeklyClaimRates(
  claims: readonly ClaimStream[],
  preset: PresetRef,
  timezone: string,
): WeeklyRates | null {
  const weekday = new Array<number>(24).fill(0);
  const weekend = new Array<number>(24).fill(0);
  let shaped = false;
  for (const c of claims) {
    if (c.preset.template !== preset.template || c.preset.preset !== preset.preset) continue;
    if (c.arrivals.kind !== "poisson") continue;
    const { perHour, diurnal } = c.arrivals;
    if (diurnal !== null && diurnal.timezone !== timezone) continue;
    if (diurnal?.weekend !== undefined) shaped = true;
    for (let h = 0; h < 24; h++) {
      weekday[h] = (weekday[h] as number) + perHour * (diurnal?.multipliers[h] ?? 1);
      weekend[h] = (weekend[h] as number) + perHour * (diurnal?.weekend?.[h] ?? diurnal?.multipliers[h] ?? 1);
    }
  }
  return shaped ? { weekday, weekend } : null;
}

export interface WeekendPick {
  hour: number;
  /** the count the weekday evidence asks for */
  required: number;
  basis: HourBasis;
  /** the weekday hour whose count it takes; null without claims or above every weekday rate */
  like: number | null;
}

/** Each weekend hour's count from the weekday hours' (`weekday[h]`: that hour's asked count and basis). */
export function weekendPicks(
  rates: WeeklyRates,
  weekday: readonly { required: number; basis: HourBasis }[],
  swept: { smallest: number; largest: number },
): WeekendPick[] {
  return rates.weekend.map((rate, hour): WeekendPick => {
    if (rate <= 0) return { hour, required: swept.smallest, basis: "no-claims", like: null };
    const nearest = (measured: boolean) => {
      let like: number | null = null;
      for (let h = 0; h < 24; h++) {
        const r = rates.weekday[h] as number;
        const w = weekday[h] as { required: number; basis: HourBasis };
        if (r < rate || (measured && w.basis === "no-claims")) continue;
        const best = like === null ? null : (rates.weekday[like] as number);
        if (
          best === null ||
          r < best ||
          (r === best && w.required > (weekday[like as number]?.required as number))
        )
          like = h;
      }
      return like;
    };
    const like = nearest(true) ?? nearest(false);
    if (like === null) return { hour, required: swept.largest, basis: "not-met", like: null };
    const w = weekday[like] as { required: number; basis: HourBasis };
    return { hour, required: w.required, basis: w.basis, like };
  });
}
