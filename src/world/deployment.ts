// The world task: the scenario's deployment brought up inside the kernel, step by step — the
// database seeded, its faults installed, then the sampler, the provisioner fleet and its agents,
// the replicas' reconcilers, the people, the operator and the fault injector, each its own task.
// The order of the steps is part of the history (task ids, stream draws, subscriptions): change it
// and every trace changes.
import type { Duration, Instant } from "../clock/types.ts";
import type { Scenario } from "../scenario/scenario.ts";
import { Acquirer } from "./acquirer.ts";
import { AgentStarter } from "./agents.ts";
import type { Catalog, CatalogPreset } from "./catalog.ts";
import { FaultInjector, installDatabaseFaults } from "./faults/injector.ts";
import type { MetricsRecorder } from "./metricsRecorder.ts";
import { OPERATOR_ACTOR, runOperator } from "./operator.ts";
import { OrdinaryBuilds } from "./ordinaryBuilds.ts";
import { daemonName, ProvisionerDaemon, type ProvisionerStats, provisionerIds } from "./provisioner.ts";
import { type Replica, trackResourceReplacement } from "./replica.ts";
import { API_RETRY_INTERVAL } from "./retry.ts";
import { followedPresets, Sampler } from "./sampler.ts";
import { seedWorld } from "./seed.ts";
import { People } from "./users.ts";
import { planBuilds, planClaims } from "./workload.ts";
import { WORLD_ACTOR, type World } from "./world.ts";

/** What the world task built, for collecting the run's results. */
export interface Deployment {
  readonly catalog: Catalog;
  /** The presets the sampler follows (and the end metrics report). */
  readonly followed: CatalogPreset[];
  readonly sampler: Sampler;
  readonly people: People;
  readonly injector: FaultInjector;
}

export interface DeploymentOptions {
  /** The replicas, built before the run (the metrics recorder reads them); started here. */
  readonly replicas: readonly Replica[];
  /** The provisioner fleet's counters. */
  readonly provisionerStats: ProvisionerStats;
  /** Records every live replica's metrics at each sample, when asked for. */
  readonly metrics: MetricsRecorder | null;
}

/** The body of the world task. */
export async function startDeployment(
  world: World,
  scenario: Scenario,
  options: DeploymentOptions,
): Promise<Deployment> {
  const catalog = await seedDatabase(world, scenario);
  const followed = followedPresets(catalog, scenario.events);
  const sampler = startSampler(world, scenario, followed, options.metrics);
  startProvisioners(world, scenario, catalog, options);
  for (const replica of options.replicas) replica.start();
  const people = startPeople(world, scenario, catalog);
  startOrdinaryBuilds(world, scenario, catalog);
  startOperator(world, scenario, catalog);
  const injector = startFaults(world, scenario, options.replicas);
  return { catalog, followed, sampler, people, injector };
}

/** The scenario's templates, versions, presets and people; then its database faults. */
async function seedDatabase(world: World, scenario: Scenario): Promise<Catalog> {
  const { database } = world;
  const catalog = await seedWorld(
    database.connect(WORLD_ACTOR),
    scenario,
    (name) => world.stream(name),
    scenario.start,
  );
  // After seeding: the deployment exists before anything can go wrong with it.
  installDatabaseFaults(database, scenario.faults);
  return catalog;
}

function startSampler(
  world: World,
  scenario: Scenario,
  followed: readonly CatalogPreset[],
  metrics: MetricsRecorder | null,
): Sampler {
  const { kernel, database, ctx, clock } = world;
  const sampler = new Sampler(
    database.driver,
    database.locks,
    scenario.sampleEvery,
    followed,
    metrics === null ? undefined : (t) => metrics.record(t),
  );
  // An observer task: however often it samples, the other tasks interleave exactly as without it.
  kernel.spawnObserver("sampler", () => sampler.run(kernel, ctx, clock, scenario.start));
  return sampler;
}

/** The agents the daemons start, and the daemons, each a task. */
function startProvisioners(
  world: World,
  scenario: Scenario,
  catalog: Catalog,
  options: DeploymentOptions,
): void {
  const config = scenario.provisioners;
  const agents = new AgentStarter(world, {
    store: world.database.connect("agents"),
    readyAfter: config.agentReadyAfter,
    // Upstream's reinitialised agent goes through the same start path as a first start.
    reinitAfter: config.agentReinitAfter ?? config.agentReadyAfter,
    retryEvery: API_RETRY_INTERVAL,
  });
  const acquirers = acquirersOf(world, options.replicas, config.pollInterval);
  const fleet = {
    config,
    catalog,
    agents,
    stats: options.provisionerStats,
    onResourceReplacement: (
      build: { workspaceId: string; id: string },
      replacements: Parameters<typeof trackResourceReplacement>[3],
    ) => trackResourceReplacement(world, options.replicas, build, replacements),
  };
  const ids = provisionerIds(world);
  const provisionerd = world.database.connect("provisionerd");
  for (let i = 0; i < config.daemons; i++) {
    const store = world.traced(provisionerd, daemonName(i));
    // simulation: daemons spread over the replicas in turn, and stay connected when theirs crashes.
    const acquirer = acquirers[i % acquirers.length] as Acquirer;
    const daemon = new ProvisionerDaemon(world, { ...fleet, acquirer }, i, ids.uuid(), store);
    world.kernel.spawn(daemon.name, () => daemon.run(world.ctx));
  }
}

/** One acquirer per coderd replica, as upstream: each serves the daemons connected to it. */
function acquirersOf(world: World, replicas: readonly Replica[], backupPoll: Duration): Acquirer[] {
  const deps = {
    kernel: world.kernel,
    clock: world.clock,
    pubsub: world.perturbedPubsub,
    picks: world.stream("provisioner/acquirer"),
    outageEnd: (t: Instant) => world.faults.outageEnd(t),
    outageStarts: world.faults.outages.map((w) => w.at),
  };
  return replicas.map((replica) => new Acquirer(deps, replica.name, backupPoll));
}

function startPeople(world: World, scenario: Scenario, catalog: Catalog): People {
  const people = new People(world, { store: world.database.connect("api"), catalog });
  world.kernel.spawn("workload", () => people.run(world.ctx, planClaims(scenario, world.rng)));
  return people;
}

/** People's ordinary builds, a task of their own; none (no task, no stream) without `workload.builds`. */
function startOrdinaryBuilds(world: World, scenario: Scenario, catalog: Catalog): void {
  if ((scenario.workload.builds ?? []).length === 0) return;
  const builds = new OrdinaryBuilds(world, {
    store: world.database.connect("api"),
    catalog,
    templates: scenario.templates,
  });
  world.kernel.spawn("workload builds", () => builds.run(world.ctx, planBuilds(scenario, world.rng)));
}

function startOperator(world: World, scenario: Scenario, catalog: Catalog): void {
  const store = world.traced(world.database.connect(OPERATOR_ACTOR), OPERATOR_ACTOR);
  world.kernel.spawn(OPERATOR_ACTOR, () =>
    runOperator(world, {
      events: scenario.events,
      retryEvery: API_RETRY_INTERVAL,
      store,
      catalog,
    }),
  );
}

function startFaults(world: World, scenario: Scenario, replicas: readonly Replica[]): FaultInjector {
  const injector = new FaultInjector(world, { replicas });
  world.kernel.spawn("faults", () => injector.run(scenario.faults));
  return injector;
}
