// `explore --shard auto`: the shard comes from the environment of the engine running the job, so
// one command line serves every job of a parallel run. Read in this order:
//   PREBUILDSIM_SHARD_INDEX / PREBUILDSIM_SHARD_COUNT   generic, 1-based like --shard i/n
//                                                        (e.g. from a GitHub Actions matrix)
//   JOB_COMPLETION_INDEX                                 Kubernetes Indexed Job, 0-based; the count
//                                                        from --shard-count or PREBUILDSIM_SHARD_COUNT
//                                                        (Kubernetes does not expose completions)
//   CI_NODE_INDEX / CI_NODE_TOTAL                        GitLab CI `parallel:`, 1-based
// Anything missing or out of range is bad input (exit 2) naming the variables.
import { InputError } from "../run/inputError.ts";
import { parseShard, type Shard } from "./seeds.ts";

export type Environment = Readonly<Record<string, string | undefined>>;

const HOW =
  "set PREBUILDSIM_SHARD_INDEX and PREBUILDSIM_SHARD_COUNT (1-based), run in a Kubernetes Indexed Job " +
  "(JOB_COMPLETION_INDEX, with --shard-count N or PREBUILDSIM_SHARD_COUNT), or in a GitLab parallel job " +
  "(CI_NODE_INDEX, CI_NODE_TOTAL)";

function whole(name: string, value: string): number {
  if (!/^\d+$/.test(value.trim()))
    throw new InputError(`--shard auto: ${name}=${JSON.stringify(value)} is not a whole number`);
  return Number(value.trim());
}

function checked(index: number, count: number, source: string): Shard {
  if (count < 1)
    throw new InputError(`--shard auto: ${source}: the shard count must be at least 1, got ${count}`);
  if (index < 1 || index > count)
    throw new InputError(
      `--shard auto: ${source}: shard ${index} of ${count} is out of range (1 to ${count})`,
    );
  return { index, count };
}

/** The shard `--shard auto` means in `env`; `countOption` is --shard-count's value, if given. */
export function shardFromEnvironment(env: Environment, countOption?: string): Shard {
  const set = (name: string) => env[name] !== undefined && env[name]?.trim() !== "";
  const count = (fallbackName: string) => {
    if (countOption !== undefined) return whole("--shard-count", countOption);
    if (set(fallbackName)) return whole(fallbackName, env[fallbackName] as string);
    return undefined;
  };
  if (set("PREBUILDSIM_SHARD_INDEX")) {
    const n = count("PREBUILDSIM_SHARD_COUNT");
    if (n === undefined)
      throw new InputError(
        "--shard auto: PREBUILDSIM_SHARD_INDEX is set but not PREBUILDSIM_SHARD_COUNT (or --shard-count)",
      );
    const index = whole("PREBUILDSIM_SHARD_INDEX", env.PREBUILDSIM_SHARD_INDEX as string);
    return checked(index, n, "PREBUILDSIM_SHARD_INDEX/PREBUILDSIM_SHARD_COUNT");
  }
  if (set("JOB_COMPLETION_INDEX")) {
    const n = count("PREBUILDSIM_SHARD_COUNT");
    if (n === undefined)
      throw new InputError(
        "--shard auto: JOB_COMPLETION_INDEX is set (a Kubernetes Indexed Job) but not the shard count: pass --shard-count N (the Job's completions) or set PREBUILDSIM_SHARD_COUNT",
      );
    // 0-based completion index → 1-based shard.
    return checked(
      whole("JOB_COMPLETION_INDEX", env.JOB_COMPLETION_INDEX as string) + 1,
      n,
      "JOB_COMPLETION_INDEX",
    );
  }
  if (set("CI_NODE_INDEX") || set("CI_NODE_TOTAL")) {
    if (!set("CI_NODE_INDEX") || !set("CI_NODE_TOTAL"))
      throw new InputError(
        "--shard auto: GitLab's CI_NODE_INDEX and CI_NODE_TOTAL must both be set (a job with `parallel: N`)",
      );
    const n = count("CI_NODE_TOTAL") as number;
    return checked(whole("CI_NODE_INDEX", env.CI_NODE_INDEX as string), n, "CI_NODE_INDEX/CI_NODE_TOTAL");
  }
  throw new InputError(`--shard auto: no shard in the environment: ${HOW}`);
}

/** `--shard i/n`, or `auto` read from the environment; undefined when not given. */
export function resolveShard(
  text: string | undefined,
  countOption: string | undefined,
  env: Environment,
): Shard | undefined {
  if (countOption !== undefined && text !== "auto")
    throw new InputError("--shard-count: only with --shard auto (a Kubernetes Indexed Job's completions)");
  if (text === undefined) return undefined;
  return text === "auto" ? shardFromEnvironment(env, countOption) : parseShard(text);
}
