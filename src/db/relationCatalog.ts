// Which relations a statement may read or change, from the database's own catalog, so that a write
// forgets only the cached reads it could change (readCache.ts). Every answer errs towards "more":
// - a read's relations are the catalog relations whose names occur as words anywhere in its text
//   (a column or alias of the same name only adds one); a view stands for the relations its
//   definition uses, and a table for the tables that inherit from it, transitively;
// - a write changes the targets of its INSERT INTO / UPDATE / DELETE FROM clauses (a table read
//   in a subquery, or row-locked FOR UPDATE, is not changed), what their foreign keys' ON DELETE /
//   ON UPDATE actions reach, the tables inheriting from them, the sequences their column defaults
//   draw from, and every sequence its text names (nextval('…'));
// - what the text cannot show makes the answer "everything": a read that names a system catalog
//   (pg_…, information_schema), a write that is not INSERT / UPDATE / DELETE (or a WITH around
//   them), a write naming no known relation, and any database with user-defined functions,
//   triggers or rules (a function call or a trigger may touch tables the text never names).
// The catalog changes only through DDL, which the session sends as exec (simple protocol); it
// loads the catalog again after every exec and every rollback.

/** Every relation: a statement whose reach the text cannot bound. */
export const EVERYTHING = "everything";
export type Relations = ReadonlySet<string> | typeof EVERYTHING;

/** One catalog query: each relation, the relations its view rules use, the tables its foreign keys act on. */
export const RELATION_CATALOG_SQL = `
SELECT c.relname::text AS name, c.relkind::text AS kind,
  ARRAY(SELECT used.relname::text FROM pg_rewrite r
        JOIN pg_depend d ON d.classid = 'pg_rewrite'::regclass AND d.objid = r.oid
          AND d.refclassid = 'pg_class'::regclass
        JOIN pg_class used ON used.oid = d.refobjid
        WHERE r.ev_class = c.oid AND used.oid <> c.oid
        UNION
        SELECT heir.relname::text FROM pg_inherits i JOIN pg_class heir ON heir.oid = i.inhrelid
        WHERE i.inhparent = c.oid) AS uses,
  ARRAY(SELECT DISTINCT child.relname::text FROM pg_constraint k
        JOIN pg_class child ON child.oid = k.conrelid
        WHERE k.contype = 'f' AND k.confrelid = c.oid
          AND (k.confdeltype NOT IN ('a', 'r') OR k.confupdtype NOT IN ('a', 'r'))
        UNION
        SELECT owned.relname::text FROM pg_depend d
        JOIN pg_class owned ON d.classid = 'pg_class'::regclass AND owned.oid = d.objid
        WHERE d.refclassid = 'pg_class'::regclass AND d.refobjid = c.oid AND owned.relkind = 'S'
        UNION
        SELECT drawn.relname::text FROM pg_attrdef ad
        JOIN pg_depend d ON d.classid = 'pg_attrdef'::regclass AND d.objid = ad.oid
          AND d.refclassid = 'pg_class'::regclass
        JOIN pg_class drawn ON drawn.oid = d.refobjid AND drawn.relkind = 'S'
        WHERE ad.adrelid = c.oid
        UNION
        SELECT heir.relname::text FROM pg_inherits i JOIN pg_class heir ON heir.oid = i.inhrelid
        WHERE i.inhparent = c.oid) AS acts_on,
  (SELECT count(*)::int FROM pg_trigger t WHERE NOT t.tgisinternal)
    + (SELECT count(*)::int FROM pg_rewrite r JOIN pg_class rc ON rc.oid = r.ev_class
       JOIN pg_namespace rn ON rn.oid = rc.relnamespace
       WHERE r.rulename <> '_RETURN' AND rn.nspname NOT IN ('pg_catalog', 'information_schema'))
    + (SELECT count(*)::int FROM pg_proc p JOIN pg_namespace pn ON pn.oid = p.pronamespace
       WHERE pn.nspname NOT IN ('pg_catalog', 'information_schema')) AS opaque
FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg_toast%'
  AND c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f')`;

export interface CatalogRow {
  name: string;
  /** pg_class.relkind: 'S' is a sequence. */
  kind: string;
  uses: readonly string[];
  acts_on: readonly string[];
  opaque: number;
}

const COMMENTS = /--[^\n]*|\/\*[\s\S]*?\*\//g;
const WORDS = /[A-Za-z_][A-Za-z0-9_$]*/g;
const SYSTEM = /\b(pg_\w+|information_schema)\b/i;
const WRITE_START = /^\s*(INSERT|UPDATE|DELETE|WITH)\b/i;
/** What follows INSERT INTO, UPDATE or DELETE FROM: a (qualified, maybe quoted) name, or a keyword. */
const TARGET =
  /\b(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+(?:ONLY\s+)?((?:"[^"]+"|[A-Za-z_][\w$]*)(?:\s*\.\s*(?:"[^"]+"|[A-Za-z_][\w$]*))*)/gi;
/** Words that follow UPDATE without naming a target: ON CONFLICT DO UPDATE SET, FOR UPDATE OF / SKIP LOCKED / NOWAIT. */
const NOT_TARGETS = new Set(["set", "of", "skip", "nowait"]);

export class RelationCatalog {
  /** Lower-cased relation name → the relations a read of it depends on (itself and, for a view, what it uses). */
  readonly #reads = new Map<string, ReadonlySet<string>>();
  /** Lower-cased relation name → what a write to it may change (itself and its foreign keys' actions). */
  readonly #writes = new Map<string, ReadonlySet<string>>();
  readonly #sequences = new Set<string>();
  readonly #opaque: boolean;
  readonly #memo = new Map<string, { reads: Relations; writes: Relations }>();

  constructor(rows: readonly CatalogRow[]) {
    this.#opaque = rows.some((r) => r.opaque > 0);
    const uses = new Map(rows.map((r) => [r.name.toLowerCase(), r.uses.map((u) => u.toLowerCase())]));
    const actsOn = new Map(rows.map((r) => [r.name.toLowerCase(), r.acts_on.map((u) => u.toLowerCase())]));
    for (const r of rows) if (r.kind === "S") this.#sequences.add(r.name.toLowerCase());
    for (const name of uses.keys()) {
      this.#reads.set(name, closure(name, uses));
      this.#writes.set(name, closure(name, actsOn));
    }
  }

  /** The relations whose change may change what `sql` returns. */
  reads(sql: string): Relations {
    return this.#analyse(sql).reads;
  }

  /** The relations `sql` may change when it runs (not a pure read). */
  writes(sql: string): Relations {
    return this.#analyse(sql).writes;
  }

  #analyse(sql: string): { reads: Relations; writes: Relations } {
    let known = this.#memo.get(sql);
    if (known === undefined) {
      known = { reads: this.#readsOf(sql), writes: this.#writesOf(sql) };
      this.#memo.set(sql, known);
    }
    return known;
  }

  #readsOf(sql: string): Relations {
    const code = sql.replace(COMMENTS, " ");
    if (this.#opaque || SYSTEM.test(code)) return EVERYTHING;
    return this.#named(code, this.#reads);
  }

  #writesOf(sql: string): Relations {
    const code = sql.replace(COMMENTS, " ");
    if (this.#opaque || !WRITE_START.test(code)) return EVERYTHING;
    const changed = new Set<string>();
    for (const match of code.matchAll(TARGET)) {
      const name = (match[1] as string).split(".").at(-1)?.trim().replaceAll('"', "").toLowerCase() ?? "";
      if (NOT_TARGETS.has(name)) continue;
      const reach = this.#writes.get(name);
      if (reach === undefined) return EVERYTHING;
      for (const r of reach) changed.add(r);
    }
    if (changed.size === 0) return EVERYTHING;
    for (const word of code.match(WORDS) ?? [])
      if (this.#sequences.has(word.toLowerCase())) changed.add(word.toLowerCase());
    return changed;
  }

  #named(code: string, reach: ReadonlyMap<string, ReadonlySet<string>>): Set<string> {
    const out = new Set<string>();
    for (const word of code.match(WORDS) ?? []) {
      const relations = reach.get(word.toLowerCase());
      if (relations !== undefined) for (const r of relations) out.add(r);
    }
    return out;
  }
}

/** `start` and everything reachable from it through `edges`. */
function closure(start: string, edges: ReadonlyMap<string, readonly string[]>): ReadonlySet<string> {
  const seen = new Set<string>([start]);
  const todo = [start];
  for (let next = todo.pop(); next !== undefined; next = todo.pop())
    for (const to of edges.get(next) ?? [])
      if (!seen.has(to)) {
        seen.add(to);
        todo.push(to);
      }
  return seen;
}
