// The structured logger of the port and of the simulated world (slog-shaped: a message plus
// key/value fields, child loggers that carry fields). It has no clock of its own: the world's
// implementation stamps entries with virtual time when it writes them to the trace, so the same
// run always logs the same entries.

export type LogLevel = "debug" | "info" | "warn" | "error" | "critical";
export type LogFields = Readonly<Record<string, unknown>>;

export interface Logger {
  debug(msg: string, fields?: LogFields): void;
  info(msg: string, fields?: LogFields): void;
  warn(msg: string, fields?: LogFields): void;
  error(msg: string, fields?: LogFields): void;
  critical(msg: string, fields?: LogFields): void;
  /** A child logger whose entries also carry `fields` (the child's own fields win on a clash). */
  with(fields: LogFields): Logger;
}

/** Discards everything; for callers that have nowhere to log. */
export const nullLogger: Logger = {
  debug() {},
  info() {},
  warn() {},
  error() {},
  critical() {},
  with() {
    return nullLogger;
  },
};

export interface LogEntry {
  readonly level: LogLevel;
  readonly msg: string;
  readonly fields: LogFields;
}

/** Records entries in memory, in order, so tests can assert on what was logged. */
export class MemoryLogger implements Logger {
  readonly #sink: LogEntry[];
  readonly #fields: LogFields;

  constructor(fields: LogFields = {}, sink: LogEntry[] = []) {
    this.#fields = fields;
    this.#sink = sink;
  }

  /** Every entry written through this logger or any logger derived from it with `with`. */
  get entries(): readonly LogEntry[] {
    return this.#sink;
  }

  /** The entries at one level, in order. */
  entriesAt(level: LogLevel): LogEntry[] {
    return this.#sink.filter((e) => e.level === level);
  }

  debug(msg: string, fields?: LogFields): void {
    this.#write("debug", msg, fields);
  }
  info(msg: string, fields?: LogFields): void {
    this.#write("info", msg, fields);
  }
  warn(msg: string, fields?: LogFields): void {
    this.#write("warn", msg, fields);
  }
  error(msg: string, fields?: LogFields): void {
    this.#write("error", msg, fields);
  }
  critical(msg: string, fields?: LogFields): void {
    this.#write("critical", msg, fields);
  }

  with(fields: LogFields): MemoryLogger {
    return new MemoryLogger({ ...this.#fields, ...fields }, this.#sink);
  }

  #write(level: LogLevel, msg: string, fields: LogFields | undefined): void {
    this.#sink.push({ level, msg, fields: { ...this.#fields, ...fields } });
  }
}
