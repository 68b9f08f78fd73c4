// Where a process's CPU went, from an in-process V8 CPU profile (node:inspector): every sample's
// time goes to the function on top of the stack, and that function to a group by its script —
// PGlite (its package's JavaScript, and WebAssembly, which only PGlite runs here), GC, or the
// harness by source folder (src/db, src/world, …), with V8's "(program)" (native work outside
// JavaScript) as its own group. Sampling costs a few per cent; the split is what it shows, the wall
// time of a profiled run is a little higher than of a plain one.
import { Session } from "node:inspector";

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string };
}
interface Profile {
  nodes: ProfileNode[];
  samples?: number[];
  timeDeltas?: number[];
}

/** Milliseconds of self time by group, idle excluded. */
export type CpuSplit = Record<string, number>;

function groupOf(node: ProfileNode): string | undefined {
  const { url, functionName } = node.callFrame;
  if (functionName === "(idle)") return undefined;
  if (functionName === "(garbage collector)") return "gc";
  if (functionName === "(program)" || functionName === "(root)") return "program";
  if (url.includes("@electric-sql/pglite")) return "pglite-js";
  if (url.startsWith("wasm://") || /^\$?func\d+$|^wasm-function/.test(functionName)) return "pglite-wasm";
  const src = /\/(src|bench)\/([^/]+)\//.exec(url);
  if (src !== null && !url.includes("node_modules")) return `${src[1]}/${src[2]}`;
  if (url.includes("node_modules")) return "other-packages";
  if (url.startsWith("node:") || url === "") return "node";
  return "other";
}

function post<T>(session: Session, method: string): Promise<T> {
  return new Promise((resolve, reject) =>
    session.post(method, (error, result) => (error ? reject(error) : resolve(result as T))),
  );
}

/** Starts sampling; the returned function stops it and gives the split. */
export async function startCpuSplit(): Promise<() => Promise<CpuSplit>> {
  const session = new Session();
  session.connect();
  await post(session, "Profiler.enable");
  await post(session, "Profiler.start");
  return async () => {
    const { profile } = await post<{ profile: Profile }>(session, "Profiler.stop");
    session.disconnect();
    return splitOf(profile);
  };
}

export function splitOf(profile: Profile): CpuSplit {
  const group = new Map<number, string | undefined>();
  for (const node of profile.nodes) group.set(node.id, groupOf(node));
  const split: CpuSplit = {};
  const samples = profile.samples ?? [];
  const deltas = profile.timeDeltas ?? [];
  for (let i = 0; i < samples.length; i++) {
    const g = group.get(samples[i]!);
    if (g === undefined) continue;
    split[g] = (split[g] ?? 0) + (deltas[i] ?? 0) / 1000;
  }
  return split;
}

/** PGlite's share of the profiled (non-idle) time. */
export function pgliteShare(split: CpuSplit): number {
  const total = Object.values(split).reduce((a, b) => a + b, 0);
  return total === 0 ? 0 : ((split["pglite-js"] ?? 0) + (split["pglite-wasm"] ?? 0)) / total;
}
