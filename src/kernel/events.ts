// Everything the kernel does, as events for a trace sink (`kernel.onEvent`). Tasks are named once,
// in their spawn event; later events carry only the task id.
import type { Instant } from "../clock/types.ts";

export type KernelEvent =
  | {
      readonly kind: "spawn";
      readonly at: Instant;
      readonly task: number;
      readonly name: string;
      readonly parent: number | null;
    }
  /** The task receives the baton. */
  | { readonly kind: "switch"; readonly at: Instant; readonly task: number }
  | { readonly kind: "park"; readonly at: Instant; readonly task: number; readonly reason: string }
  /** The task becomes runnable again. */
  | { readonly kind: "wake"; readonly at: Instant; readonly task: number }
  | { readonly kind: "finish"; readonly at: Instant; readonly task: number; readonly error?: string }
  /** A scheduled clock event (timer, ticker, sleep, tickerFunc) fires. */
  | { readonly kind: "fire"; readonly at: Instant; readonly event: string }
  | { readonly kind: "advance"; readonly from: Instant; readonly to: Instant };

export type KernelEventKind = KernelEvent["kind"];

export const KERNEL_EVENT_KINDS: readonly KernelEventKind[] = [
  "spawn",
  "switch",
  "park",
  "wake",
  "finish",
  "fire",
  "advance",
];

export type KernelEventSink = (event: KernelEvent) => void;
