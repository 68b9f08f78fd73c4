// SVG → PNG with resvg, for the Markdown report (CI job summaries show images, not inline SVG).
// resvg draws no text at all when it finds no font, silently, so the fonts are explicit files —
// never the system's font lookup — and a missing font is an error, not a chart without labels.
import { existsSync } from "node:fs";
import { join } from "node:path";
import { Resvg } from "@resvg/resvg-js";

/** Debian's fonts-dejavu-core. */
export const DEJAVU_DIR = "/usr/share/fonts/truetype/dejavu";
export const DEJAVU_FONT_FILES: readonly string[] = [
  join(DEJAVU_DIR, "DejaVuSans.ttf"),
  join(DEJAVU_DIR, "DejaVuSans-Bold.ttf"),
];

export interface PngOptions {
  /** font files to draw text with; an empty list draws no text */
  fontFiles: readonly string[];
  /** pixels per SVG unit: 2 keeps text crisp on high-density screens */
  scale: number;
}

export const DEFAULT_PNG_OPTIONS: PngOptions = { fontFiles: DEJAVU_FONT_FILES, scale: 2 };

export function svgToPng(svg: string, options: PngOptions = DEFAULT_PNG_OPTIONS): Buffer {
  for (const f of options.fontFiles)
    if (!existsSync(f))
      throw new Error(
        `report: font file ${f} is missing; install the fonts-dejavu-core package or pass other font files`,
      );
  const resvg = new Resvg(svg, {
    font: { loadSystemFonts: false, fontFiles: [...options.fontFiles], defaultFontFamily: "DejaVu Sans" },
    fitTo: { mode: "zoom", value: options.scale },
    background: "#ffffff",
  });
  return resvg.render().asPng();
}
