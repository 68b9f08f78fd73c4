// The port's logger in the simulation: warn and above become `log` trace lines of the component
// that logged (the reconciler's errors are the run's evidence), debug and info are dropped — they
// would dwarf the trace and say nothing an event does not. Field values are made canonical-JSON
// safe: errors by their message, anything exotic by its string form.
import type { LogFields, Logger } from "../prebuilds/logger.ts";
import type { TraceRecord } from "../trace/trace.ts";

function plain(value: unknown): unknown {
  if (value === null || typeof value === "string" || typeof value === "boolean") return value;
  if (typeof value === "number") return Number.isFinite(value) ? value : String(value);
  if (value === undefined) return undefined;
  if (value instanceof Error) return value.message;
  if (Array.isArray(value)) return value.map(plain);
  if (typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = plain(v);
    return out;
  }
  return String(value);
}

export class TraceLogger implements Logger {
  constructor(
    private readonly actor: string,
    private readonly emit: (record: TraceRecord) => void,
    private readonly fields: LogFields = {},
  ) {}

  debug(_msg: string, _fields?: LogFields): void {}
  info(_msg: string, _fields?: LogFields): void {}
  warn(msg: string, fields?: LogFields): void {
    this.#write("warn", msg, fields);
  }
  error(msg: string, fields?: LogFields): void {
    this.#write("error", msg, fields);
  }
  critical(msg: string, fields?: LogFields): void {
    this.#write("critical", msg, fields);
  }
  with(fields: LogFields): Logger {
    return new TraceLogger(this.actor, this.emit, { ...this.fields, ...fields });
  }

  #write(level: "warn" | "error" | "critical", msg: string, fields: LogFields | undefined): void {
    const all = { ...this.fields, ...fields };
    const record: TraceRecord = { actor: this.actor, kind: "log", level, msg };
    if (Object.keys(all).length > 0) record.fields = plain(all);
    this.emit(record);
  }
}
