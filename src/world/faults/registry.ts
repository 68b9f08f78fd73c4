// Every fault kind, in the order the grammar lists them. Adding a kind: write its module (see
// `faultKind.ts`) and add it here, to `FAULT_MODULES` and to `Fault`.
import { z } from "zod";
import { type BuildFailures, buildFailures } from "./buildFailureWindow.ts";
import { type ClockSkew, clockSkew } from "./clockSkew.ts";
import { type DbErrors, dbErrors } from "./dbErrors.ts";
import type { AnyFaultKind } from "./faultKind.ts";
import { type LockConnectionLost, lockConnectionLost } from "./lockConnectionLost.ts";
import { type MetricsRefreshMissed, metricsRefreshMissed } from "./metricsRefreshMissed.ts";
import { type NotificationQueueFull, notificationQueueFull } from "./notificationQueueFull.ts";
import { type NotificationsDelayed, notificationsDelayed } from "./notificationsDelayed.ts";
import { type NotificationsDropped, notificationsDropped } from "./notificationsDropped.ts";
import { type ProvisionerOutage, provisionerOutage } from "./provisionerOutage.ts";
import { type ReplicaCrash, replicaCrash } from "./replicaCrash.ts";
import { type StaleSnapshot, staleSnapshot } from "./staleSnapshot.ts";
import { type TickMissed, tickMissed } from "./tickMissed.ts";

/** A normalised fault (SCENARIOS.md `faults`). */
export type Fault =
  | ProvisionerOutage
  | BuildFailures
  | LockConnectionLost
  | ReplicaCrash
  | DbErrors
  | NotificationQueueFull
  | ClockSkew
  | StaleSnapshot
  | NotificationsDropped
  | NotificationsDelayed
  | MetricsRefreshMissed
  | TickMissed;

export type FaultKindName = Fault["kind"];

export const FAULT_MODULES = [
  provisionerOutage,
  buildFailures,
  lockConnectionLost,
  replicaCrash,
  dbErrors,
  notificationQueueFull,
  clockSkew,
  staleSnapshot,
  notificationsDropped,
  notificationsDelayed,
  metricsRefreshMissed,
  tickMissed,
] as const;

export const FAULT_KINDS = FAULT_MODULES.map((m) => m.kind) as readonly FaultKindName[];

/** One fault entry of a scenario file: the modules' mappings, told apart by `kind`. */
export const faultSchema = z.discriminatedUnion(
  "kind",
  [
    provisionerOutage.schema,
    buildFailures.schema,
    lockConnectionLost.schema,
    replicaCrash.schema,
    dbErrors.schema,
    notificationQueueFull.schema,
    clockSkew.schema,
    staleSnapshot.schema,
    notificationsDropped.schema,
    notificationsDelayed.schema,
    metricsRefreshMissed.schema,
    tickMissed.schema,
  ],
  { error: `expected a fault with kind: one of ${FAULT_KINDS.join(", ")}` },
);

export type FaultFile = z.input<typeof faultSchema>;
export type ParsedFault = z.output<typeof faultSchema>;

/** The module of a fault kind; its functions take that kind's faults. */
export function faultModule<K extends FaultKindName>(kind: K): AnyFaultKind {
  const found = FAULT_MODULES.find((m) => m.kind === kind);
  if (found === undefined) throw new Error(`unknown fault kind ${kind}`);
  return found as unknown as AnyFaultKind;
}

/** A fault's effect in words: `1 lock lease ended, 2 builds failed`; counts of 0 are left out. */
export function describeEffect(kind: string, effect: Readonly<Record<string, number>>): string {
  const words = FAULT_MODULES.find((m) => m.kind === kind)?.effectWords as
    | Readonly<Record<string, readonly [string, string]>>
    | undefined;
  return Object.entries(effect)
    .filter(([, n]) => n > 0)
    .map(([key, n]) => {
      const [one, many] = words?.[key] ?? [key, key];
      return `${n} ${n === 1 ? one : many}`;
    })
    .join(", ");
}
