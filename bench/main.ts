// `npm run bench`: runs every benchmark section (bench/*.bench.ts) or those named on the command
// line, and prints their figures. Each section exports `run(): Promise<BenchResult[]>`.
// `npm run bench detect [-- options]` is the detection benchmark (bench/detect/main.ts): it takes
// many minutes, so it runs only when named, alone, with its own options and table. Sections that
// export `onlyWhenNamed = true` (scale, memory: minutes each) run only when named too.
import { readdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

export interface BenchResult {
  name: string;
  value: number;
  unit: string;
  note?: string;
}

const here = dirname(fileURLToPath(import.meta.url));
const wanted = process.argv.slice(2);
if (wanted[0] === "detect") {
  const { main } = await import("./detect/main.ts");
  process.exit(await main(wanted.slice(1)));
}
const sections = readdirSync(here)
  .filter((f) => f.endsWith(".bench.ts"))
  .sort()
  .filter((f) => wanted.length === 0 || wanted.some((w) => f.startsWith(w)));

for (const file of sections) {
  const mod = (await import(join(here, file))) as {
    run: () => Promise<BenchResult[]>;
    onlyWhenNamed?: boolean;
  };
  if (mod.onlyWhenNamed === true && wanted.length === 0) continue;
  console.log(`## ${file.replace(/\.bench\.ts$/, "")}`);
  for (const r of await mod.run()) {
    const value = r.value >= 100 ? Math.round(r.value).toLocaleString("en-US") : r.value.toPrecision(3);
    console.log(`  ${r.name.padEnd(58)} ${value.padStart(12)} ${r.unit}${r.note ? `  (${r.note})` : ""}`);
  }
}
