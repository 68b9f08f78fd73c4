// Go-style error wrapping for the port: `xerrors.Errorf("context: %w", err)` becomes
// `wrapError("context", err)`, keeping the cause chain (so `errors.Is`-style checks still work
// through `instanceof` on `cause`) and a message that reads from the outside in.

/** A new error whose message is `context: <cause message>` and whose `cause` is `cause`. */
export function wrapError(context: string, cause: unknown): Error {
  const detail = cause instanceof Error ? cause.message : String(cause);
  return new Error(`${context}: ${detail}`, { cause });
}

/** Whether `err` or any error in its cause chain satisfies `match`. */
export function errorChainHas(err: unknown, match: (e: Error) => boolean): boolean {
  let current: unknown = err;
  for (let depth = 0; current instanceof Error && depth < 32; depth++) {
    if (match(current)) return true;
    current = current.cause;
  }
  return false;
}

/**
 * Go's `multierror.ErrorOrNil` / `errors.Join`: null for no errors, the error itself for one, an
 * AggregateError listing every message for several.
 */
export function joinErrors(errors: readonly unknown[], context: string): Error | null {
  if (errors.length === 0) return null;
  const asErrors = errors.map((e) => (e instanceof Error ? e : new Error(String(e))));
  if (asErrors.length === 1) return asErrors[0] as Error;
  return new AggregateError(
    asErrors,
    `${context}: ${asErrors.length} errors occurred: ${asErrors.map((e) => e.message).join("; ")}`,
  );
}

/** A message for logs and traces. */
export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
