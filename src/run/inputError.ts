// A problem with what the user handed over (a path, a directory, an option value), as opposed to a
// bug: the command line prints each line as it is and exits 2, without a stack trace.
export class InputError extends Error {
  readonly lines: readonly string[];

  constructor(lines: string | readonly string[], options?: { cause?: unknown }) {
    const all = typeof lines === "string" ? [lines] : lines;
    super(all.join("\n"), options);
    this.name = "InputError";
    this.lines = all;
  }
}
