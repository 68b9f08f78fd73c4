// The workspace builder's error (upstream `wsbuilder.BuildError`): an HTTP status that says whose
// fault a refused build is. The reconciler reads it: a 400 on prebuild creation means the preset
// itself cannot be built (spec §4.8 step d), anything else is transient.

/** HTTP statuses the builder reports, named as Go's net/http names them. */
export const HttpStatus = {
  BadRequest: 400,
  Forbidden: 403,
  NotAcceptable: 406,
  Conflict: 409,
  InternalServerError: 500,
} as const;
export type HttpStatus = (typeof HttpStatus)[keyof typeof HttpStatus];

export class BuildError extends Error {
  override readonly name = "BuildError";

  constructor(
    /** A suitable HTTP status code: 400 = the request cannot be built, 500 = something broke. */
    readonly status: HttpStatus,
    message: string,
    cause?: unknown,
  ) {
    super(cause === undefined ? message : `${message}: ${describeCause(cause)}`, { cause });
  }
}

function describeCause(cause: unknown): string {
  return cause instanceof Error ? cause.message : String(cause);
}

/** The status of a BuildError anywhere in `err`'s cause chain, or undefined when there is none. */
export function buildErrorStatus(err: unknown): HttpStatus | undefined {
  let current: unknown = err;
  for (let depth = 0; current instanceof Error && depth < 16; depth++) {
    if (current instanceof BuildError) return current.status;
    current = current.cause;
  }
  return undefined;
}
