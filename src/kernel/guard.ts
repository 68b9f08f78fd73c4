// The runtime half of the determinism rule (ARCHITECTURE.md §1; the lint plugin is the static
// half): while a simulation runs, real time, real randomness and host timers called from the
// project's own code throw (or are reported). Only direct callers count: the frame that called
// `Date.now()` must be a project file. PGlite, vitest and Node call these all the time from their
// own code, including on behalf of a query a task awaits, and they must keep working.
//
// Guarded: Date.now, new Date() without arguments, Date() called as a function, Math.random,
// performance.now, crypto.randomUUID (the global webcrypto one), setTimeout, setInterval,
// setImmediate. Functions imported from node: modules are not patched; the lint rule covers them.
import { dirname, extname, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";

export type GuardMode = "throw" | "report";

export interface GuardViolation {
  /** The guarded API, e.g. "Date.now". */
  readonly api: string;
  /** `file:line:column` of the project code that called it. */
  readonly caller: string;
}

export interface GuardOptions {
  /** "throw" (default) fails the call; "report" records it in `violations` and lets it run. */
  mode?: GuardMode;
  /** Directories whose code is checked; default: the project's src/. */
  roots?: readonly string[];
  /** Files and directories (ending in a separator) exempt from the check. */
  exempt?: readonly string[];
}

const SRC = resolve(dirname(fileURLToPath(import.meta.url)), "..");
// ".ts" in the checkout, ".js" in the compiled package (dist/).
const EXT = extname(fileURLToPath(import.meta.url));

/** The files the lint rule exempts too: the real clock, the guard, the watchdog, the CLI. */
export const DEFAULT_EXEMPT: readonly string[] = [
  resolve(SRC, `clock/real${EXT}`),
  resolve(SRC, `kernel/guard${EXT}`),
  resolve(SRC, `kernel/watchdog${EXT}`),
  resolve(SRC, "cli") + sep,
];

export class DeterminismViolation extends Error {
  constructor(readonly violation: GuardViolation) {
    super(
      `${violation.api} called from ${violation.caller} while a simulation runs: use the virtual clock or a ` +
        "seeded RNG stream (design/ARCHITECTURE.md §1)",
    );
    this.name = "DeterminismViolation";
  }
}

const callSites = (_error: Error, sites: NodeJS.CallSite[]): NodeJS.CallSite[] => sites;

/**
 * The file that called `skip`. Structured call sites avoid formatting the stack, which matters:
 * PGlite reads Date.now about thirty times per transaction.
 */
function callerOf(skip: (...args: never[]) => unknown): NodeJS.CallSite | undefined {
  const limit = Error.stackTraceLimit;
  const prepare = Error.prepareStackTrace;
  Error.stackTraceLimit = 1;
  Error.prepareStackTrace = callSites;
  const holder: { stack?: unknown } = {};
  Error.captureStackTrace(holder, skip);
  const sites = holder.stack as NodeJS.CallSite[] | undefined;
  Error.prepareStackTrace = prepare;
  Error.stackTraceLimit = limit;
  return sites?.[0];
}

function pathOf(scriptName: string): string {
  return scriptName.startsWith("file://") ? fileURLToPath(scriptName) : scriptName;
}

type Restore = () => void;

let active: DeterminismGuard | null = null;

export class DeterminismGuard {
  readonly violations: GuardViolation[] = [];
  readonly #mode: GuardMode;
  readonly #roots: readonly string[];
  readonly #exempt: readonly string[];
  readonly #restores: Restore[] = [];
  /** Verdicts per script name: a handful of files make almost every call. */
  readonly #verdicts = new Map<string, boolean>();

  private constructor(options: GuardOptions) {
    this.#mode = options.mode ?? "throw";
    this.#roots = (options.roots ?? [SRC]).map((r) => (r.endsWith(sep) ? r : r + sep));
    this.#exempt = options.exempt ?? DEFAULT_EXEMPT;
  }

  /** Installs the guard; only one can be installed at a time. */
  static install(options: GuardOptions = {}): DeterminismGuard {
    if (active) throw new Error("determinism guard: already installed (uninstall the previous one first)");
    const guard = new DeterminismGuard(options);
    guard.#patchAll();
    active = guard;
    return guard;
  }

  /** Runs fn with a guard installed, uninstalling it afterwards whatever happens. */
  static async around<T>(options: GuardOptions, fn: (guard: DeterminismGuard) => Promise<T>): Promise<T> {
    const guard = DeterminismGuard.install(options);
    try {
      return await fn(guard);
    } finally {
      guard.uninstall();
    }
  }

  get installed(): boolean {
    return active === this;
  }

  uninstall(): void {
    if (active !== this) return;
    for (const restore of this.#restores.splice(0).reverse()) restore();
    active = null;
  }

  #check(api: string, skip: (...args: never[]) => unknown): void {
    const site = callerOf(skip);
    const script = site?.getFileName() ?? site?.getScriptNameOrSourceURL();
    if (!site || !script) return;
    let inProject = this.#verdicts.get(script);
    if (inProject === undefined) {
      inProject = this.#inProject(pathOf(script));
      this.#verdicts.set(script, inProject);
    }
    if (!inProject) return;
    const violation: GuardViolation = {
      api,
      caller: `${pathOf(script)}:${site.getLineNumber()}:${site.getColumnNumber()}`,
    };
    if (this.#mode === "throw") throw new DeterminismViolation(violation);
    this.violations.push(violation);
  }

  #inProject(file: string): boolean {
    if (!this.#roots.some((r) => file.startsWith(r))) return false;
    return !this.#exempt.some((e) => (e.endsWith(sep) ? file.startsWith(e) : file === e));
  }

  #patchAll(): void {
    const g = globalThis as unknown as Record<string, unknown>;
    this.#patchMethod(Math, "random", "Math.random");
    this.#patchMethod(globalThis.performance, "now", "performance.now");
    if (globalThis.crypto) this.#patchMethod(globalThis.crypto, "randomUUID", "crypto.randomUUID");
    for (const name of ["setTimeout", "setInterval", "setImmediate"]) this.#patchMethod(g, name, name);
    this.#patchDate(g);
  }

  /** Replaces obj[key] with a checking wrapper, and remembers how to put the original back. */
  #patchMethod(obj: object, key: string, api: string): void {
    const target = obj as Record<string, unknown>;
    const own = Object.getOwnPropertyDescriptor(obj, key);
    const original = target[key] as (...args: unknown[]) => unknown;
    const guard = this;
    const wrapped = function (this: unknown, ...args: unknown[]): unknown {
      guard.#check(api, wrapped);
      return original.apply(this, args);
    };
    // keep e.g. setTimeout[util.promisify.custom]
    for (const sym of Object.getOwnPropertySymbols(original)) {
      Object.defineProperty(
        wrapped,
        sym,
        Object.getOwnPropertyDescriptor(original, sym) as PropertyDescriptor,
      );
    }
    Object.defineProperty(obj, key, {
      value: wrapped,
      writable: true,
      configurable: true,
      enumerable: false,
    });
    this.#restores.push(() => {
      if (own) Object.defineProperty(obj, key, own);
      else delete target[key];
    });
  }

  #patchDate(g: Record<string, unknown>): void {
    const RealDate = Date;
    const guard = this;
    const handler: ProxyHandler<DateConstructor> = {
      construct(target, args, newTarget) {
        if (args.length === 0) guard.#check("new Date()", handler.construct as (...args: never[]) => unknown);
        return Reflect.construct(target, args, newTarget);
      },
      apply(target, thisArg, args) {
        guard.#check("Date()", handler.apply as (...args: never[]) => unknown);
        return Reflect.apply(target, thisArg, args);
      },
      get(target, key, receiver) {
        return key === "now" ? now : Reflect.get(target, key, receiver);
      },
    };
    const now = (): number => {
      guard.#check("Date.now", now);
      return RealDate.now();
    };
    const proxy = new Proxy(RealDate, handler);
    g.Date = proxy;
    this.#restores.push(() => {
      g.Date = RealDate;
    });
  }
}
