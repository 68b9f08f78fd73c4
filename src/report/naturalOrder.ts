// Orders names the way a person counts: `replica-2` before `replica-10`. Implemented by hand rather
// than with Intl collation so the order cannot depend on the ICU data the Node build carries.

function chunks(name: string): Array<string | number> {
  return Array.from(name.matchAll(/\d+|\D+/g), (m) => (/^\d/.test(m[0]) ? Number(m[0]) : m[0]));
}

export function naturalCompare(a: string, b: string): number {
  const ca = chunks(a);
  const cb = chunks(b);
  for (let i = 0; i < Math.min(ca.length, cb.length); i++) {
    const x = ca[i] as string | number;
    const y = cb[i] as string | number;
    if (x === y) continue;
    if (typeof x === "number" && typeof y === "number") return x - y;
    return String(x) < String(y) ? -1 : 1;
  }
  return ca.length - cb.length || (a < b ? -1 : a > b ? 1 : 0);
}
