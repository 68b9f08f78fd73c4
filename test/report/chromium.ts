// Headless Chromium for the report's browser tests: Debian's `chromium` package driven by
// playwright-core (never a downloaded browser), with the flags of notes/TOOLCHAIN.md and a fresh
// profile per launch. Where the browser is missing the tests are skipped locally but fail in CI,
// so a CI image without the package cannot pass silently.
import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type BrowserContext, chromium } from "playwright-core";

export const CHROMIUM_PATH = "/usr/bin/chromium";
export const CHROMIUM_APT_PACKAGES = "chromium fonts-dejavu-core";

/** `run` when the browser is installed; otherwise `fail` in CI (CI is set) and `skip` elsewhere. */
export function browserTestMode(): "run" | "fail" | "skip" {
  if (existsSync(CHROMIUM_PATH)) return "run";
  return process.env.CI ? "fail" : "skip";
}

export interface Chromium {
  context: BrowserContext;
  close(): Promise<void>;
}

export async function launchChromium(): Promise<Chromium> {
  const profile = await mkdtemp(join(tmpdir(), "prebuildsim-chromium-"));
  // Playwright refuses --user-data-dir in args: a persistent context is how it takes a profile dir.
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM_PATH,
    headless: true,
    viewport: { width: 1280, height: 900 },
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
  return {
    context,
    close: async () => {
      await context.close();
      await rm(profile, { recursive: true, force: true });
    },
  };
}
