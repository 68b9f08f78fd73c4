// The deployment around the reconciler: replicas (the last one removed — faults naming it by
// number then refuse to load, and cost no run), users (halved) and provisioner daemons (halved;
// a dedicated prebuild pool dropped).
import { type Data, isData, mapAt } from "../data.ts";
import { type Candidate, change, edited, type Reduction, type ShrinkState } from "../reduction.ts";

function withSection(state: ShrinkState, key: string, edit: (section: Data) => void): Data {
  return edited(state, (copy) => {
    const section = mapAt(copy, key) ?? {};
    edit(section);
    copy[key] = section;
  });
}

export const replicaReductions: Reduction = {
  name: "replicas",
  candidates(state) {
    const replicas = state.data.replicas;
    if (Array.isArray(replicas) && replicas.length > 1) {
      const copy = structuredClone(state.data);
      const list = copy.replicas as unknown[];
      const last = list.pop();
      return [change(state, `drop replica ${isData(last) ? String(last.name) : list.length}`, copy)];
    }
    const count = isData(replicas) ? replicas.count : undefined;
    if (typeof count !== "number" || count < 2) return [];
    return [
      change(
        state,
        `drop replica-${count - 1}: replicas ${count} -> ${count - 1}`,
        withSection(state, "replicas", (r) => {
          r.count = count - 1;
        }),
      ),
    ];
  },
};

export const userReductions: Reduction = {
  name: "users",
  candidates(state) {
    const count = mapAt(state.data, "users")?.count;
    if (typeof count !== "number" || count < 2) return [];
    const half = Math.floor(count / 2);
    return [
      change(
        state,
        `halve the users: ${count} -> ${half}`,
        withSection(state, "users", (u) => {
          u.count = half;
        }),
      ),
    ];
  },
};

export const daemonReductions: Reduction = {
  name: "provisioner daemons",
  candidates(state) {
    const provisioners = mapAt(state.data, "provisioners");
    const out: Candidate[] = [];
    const daemons = provisioners?.daemons;
    if (typeof daemons === "number" && daemons > 1) {
      const half = Math.floor(daemons / 2);
      out.push(
        change(
          state,
          `halve the provisioner daemons: ${daemons} -> ${half}`,
          withSection(state, "provisioners", (p) => {
            p.daemons = half;
            if (typeof p.prebuildDaemons === "number" && p.prebuildDaemons >= half) delete p.prebuildDaemons;
          }),
        ),
      );
    }
    if (typeof provisioners?.prebuildDaemons === "number" && provisioners.prebuildDaemons > 0)
      out.push(
        change(
          state,
          "drop the dedicated prebuild daemons (one shared pool)",
          withSection(state, "provisioners", (p) => {
            delete p.prebuildDaemons;
          }),
        ),
      );
    return out;
  },
};

/** How many replicas the data configures (the default is one). */
export function replicaCount(data: Data): number {
  const replicas = data.replicas;
  if (Array.isArray(replicas)) return replicas.length;
  const count = isData(replicas) ? replicas.count : undefined;
  return typeof count === "number" ? count : 1;
}
