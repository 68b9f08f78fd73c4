// The deployment as it stands when the run starts: organizations, people (and the template admin
// who receives resource-replacement notifications), templates with every version already pushed
// and the active one promoted, template parameters, presets with their parameters, TTLs and
// schedules. One transaction, so the reconciler never sees half a template. Each entity draws its
// ids from its own stream, named by the entity (seedStreamName): the same scenario and seed always
// give the same rows, and removing a template, preset or person leaves every other entity's ids.
import type { Instant } from "../clock/types.ts";
import { DEFAULT_ORGANIZATION_ID } from "../db/constants.ts";
import type { Store } from "../db/store.ts";
import type { RandomStream } from "../kernel/rng.ts";
import { TEMPLATE_ADMIN_ROLE } from "../prebuilds/notifications.ts";
import type { Scenario } from "../scenario/scenario.ts";
import {
  Catalog,
  type CatalogPreset,
  type CatalogTemplate,
  type CatalogUser,
  type CatalogVersion,
  presetKey,
} from "./catalog.ts";

/** The scenario's name for the organization that always exists. */
export const DEFAULT_ORGANIZATION = "default";
export const TEMPLATE_ADMIN_USERNAME = "template-admin";

export function personActor(index: number): string {
  return `user-${index}`;
}

/** What an entity of the deployment is, to name the stream its ids come from. */
export type SeededEntity =
  | { kind: "organization"; name: string }
  | { kind: "user"; name: string }
  | { kind: "template"; name: string }
  | { kind: "preset"; template: string; version: string; name: string };

/** The stream an entity's ids come from: `seed/<kind>/<its name, qualified as it must be>`. */
export function seedStreamName(entity: SeededEntity): string {
  if (entity.kind === "preset")
    return `seed/preset/${presetKey(entity.template, entity.version, entity.name)}`;
  return `seed/${entity.kind}/${entity.name}`;
}

export async function seedWorld(
  store: Store,
  scenario: Scenario,
  stream: (name: string) => RandomStream,
  at: Instant,
): Promise<Catalog> {
  const idsOf = (entity: SeededEntity) => stream(seedStreamName(entity));
  return store.inTx(async (tx) => {
    const organizations = new Map<string, string>();
    for (const name of scenario.organizations) {
      if (name === DEFAULT_ORGANIZATION) {
        organizations.set(name, DEFAULT_ORGANIZATION_ID);
        continue;
      }
      const org = await tx.insertOrganization({
        id: idsOf({ kind: "organization", name }).uuid(),
        name,
        displayName: name,
        createdAt: at,
      });
      organizations.set(name, org.id);
    }

    const insertPerson = async (username: string, actor: string, roles: string[]): Promise<CatalogUser> => {
      const user = await tx.insertUser({
        id: idsOf({ kind: "user", name: username }).uuid(),
        email: `${username}@example.com`,
        username,
        name: username,
        rbacRoles: roles,
        createdAt: at,
      });
      for (const organizationId of organizations.values()) {
        await tx.insertOrganizationMember({ organizationId, userId: user.id, createdAt: at, updatedAt: at });
      }
      return { id: user.id, username, actor };
    };
    const templateAdmin = await insertPerson(TEMPLATE_ADMIN_USERNAME, TEMPLATE_ADMIN_USERNAME, [
      TEMPLATE_ADMIN_ROLE,
    ]);
    const people: CatalogUser[] = [];
    for (let i = 0; i < scenario.users.count; i++) {
      const actor = personActor(i);
      people.push(await insertPerson(actor, actor, []));
    }

    const templates: CatalogTemplate[] = [];
    for (const t of scenario.templates) {
      const organizationId = organizations.get(t.organization);
      if (organizationId === undefined)
        throw new Error(
          `seed: template ${t.name} names organization ${t.organization}, which the scenario lacks`,
        );
      // A template's versions draw from the template's stream: they come and go with it.
      const ids = idsOf({ kind: "template", name: t.name });
      const templateId = ids.uuid();
      const versionIds = t.versions.map(() => ids.uuid());
      const activeIndex = t.versions.findIndex((v) => v.active);
      const activeVersionId = versionIds[activeIndex];
      if (activeVersionId === undefined) throw new Error(`seed: template ${t.name} has no active version`);
      // The template row names its active version before that version exists: upstream has no
      // foreign key there either, and both rows land in this one transaction.
      await tx.insertTemplate({
        id: templateId,
        organizationId,
        name: t.name,
        activeVersionId,
        createdBy: templateAdmin.id,
        createdAt: at,
      });
      const versions: CatalogVersion[] = [];
      for (const [vi, v] of t.versions.entries()) {
        const versionId = versionIds[vi] as string;
        await tx.insertTemplateVersion({
          id: versionId,
          templateId,
          organizationId,
          name: v.name,
          createdBy: templateAdmin.id,
          createdAt: at,
        });
        for (const [pi, p] of v.parameters.entries()) {
          await tx.insertTemplateVersionParameter({
            templateVersionId: versionId,
            name: p.name,
            required: p.required,
            defaultValue: p.default ?? "",
            mutable: !p.immutable,
            displayOrder: pi,
          });
        }
        const presets: CatalogPreset[] = [];
        for (const p of v.presets) {
          const ids = idsOf({ kind: "preset", template: t.name, version: v.name, name: p.name });
          const presetId = ids.uuid();
          await tx.insertPreset({
            id: presetId,
            templateVersionId: versionId,
            name: p.name,
            desiredInstances: p.desiredInstances,
            invalidateAfterSecs: p.ttl === null ? null : p.ttl / 1000,
            schedulingTimezone: p.scheduling?.timezone ?? "",
            createdAt: at,
          });
          if (p.parameters.length > 0) {
            await tx.insertPresetParameters({
              ids: p.parameters.map(() => ids.uuid()),
              templateVersionPresetId: presetId,
              names: p.parameters.map((x) => x.name),
              values: p.parameters.map((x) => x.value),
            });
          }
          for (const s of p.scheduling?.schedules ?? []) {
            await tx.insertPresetPrebuildSchedule({
              id: ids.uuid(),
              presetId,
              cronExpression: s.cron,
              desiredInstances: s.instances,
            });
          }
          presets.push({
            id: presetId,
            key: presetKey(t.name, v.name, p.name),
            template: t.name,
            version: v.name,
            name: p.name,
            templateId,
            versionId,
            organizationId,
            spec: p,
          });
        }
        versions.push({ id: versionId, name: v.name, templateId, activeAtStart: v.active, presets });
      }
      templates.push({ id: templateId, name: t.name, organizationId, versions });
    }
    return new Catalog(organizations, templates, people, templateAdmin);
  });
}
