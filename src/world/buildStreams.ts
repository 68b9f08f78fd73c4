// Which seeded streams a build's provisioner draws come from. Each family of builds has its own:
// a preset's builds draw from `provisioner/<template/version/preset>/<quantity>`, builds without a
// preset (people's own workspaces) from `provisioner/template/<template>/<quantity>`, and a build
// the catalog cannot place from `provisioner/other/<quantity>`. Within a family the draws follow
// job order, so removing one preset (or its builds) leaves every other family's durations,
// outcomes, drift and resource ids as they were — what shrinking needs (README Shrinking).
import type { RandomStream } from "../kernel/index.ts";
import type { Catalog, CatalogPreset } from "./catalog.ts";
import type { World } from "./world.ts";

/** The draws of one build: its resource and agent ids, how long it runs, whether it fails or drifts. */
export interface BuildStreams {
  readonly ids: RandomStream;
  readonly buildTime: RandomStream;
  readonly deleteTime: RandomStream;
  readonly failures: RandomStream;
  readonly drift: RandomStream;
}

/** The family a build belongs to, as its streams' names spell it. */
export function buildStreamFamily(
  catalog: Catalog,
  build: { templateVersionId: string },
  preset: CatalogPreset | undefined,
): string {
  if (preset !== undefined) return preset.key;
  const version = catalog.versionById(build.templateVersionId);
  const template = version && catalog.templates.find((t) => t.id === version.templateId);
  return template === undefined ? "other" : `template/${template.name}`;
}

/** The streams of one family of builds. */
export function buildStreams(world: Pick<World, "stream">, family: string): BuildStreams {
  const stream = (quantity: string) => world.stream(`provisioner/${family}/${quantity}`);
  return {
    ids: stream("ids"),
    buildTime: stream("buildTime"),
    deleteTime: stream("deleteTime"),
    failures: stream("failures"),
    drift: stream("drift"),
  };
}
