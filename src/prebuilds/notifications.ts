// Notifications (spec §7): coderd's enqueuer stores a message per recipient in the database, where
// the dispatcher (not simulated) would pick it up. The reconciler notifies every template admin of
// resource replacements on claim (§7.1) and, when a scenario opts in, of a preset reaching the
// failure hard limit (§7.2, §12).
import type { Clock } from "../clock/types.ts";
import { NotificationTemplateId } from "../db/constants.ts";
import type { Store } from "../db/store.ts";
import type { RandomStream } from "../kernel/rng.ts";
import { wrapError } from "./errors.ts";

/** The site role whose holders receive template notifications. */
export const TEMPLATE_ADMIN_ROLE = "template-admin";
/** The `created_by` tag of the reconciler's notifications. */
export const NOTIFICATION_CREATED_BY = "prebuilds_reconciler";

export interface NotificationsEnqueuer {
  /**
   * Queues one message of `templateId` for `userId`, with its labels, structured data, who
   * created it and the ids it concerns; returns the message ids.
   */
  enqueueWithData(
    userId: string,
    templateId: string,
    labels: Readonly<Record<string, string>>,
    data: Readonly<Record<string, unknown>>,
    createdBy: string,
    targets: readonly string[],
  ): Promise<string[]>;
}

/** Stores messages in `notification_messages`, ids from a seeded stream, times from the clock. */
export class StoreNotificationsEnqueuer implements NotificationsEnqueuer {
  constructor(
    private readonly store: Store,
    private readonly clock: Pick<Clock, "now">,
    private readonly ids: RandomStream,
  ) {}

  async enqueueWithData(
    userId: string,
    templateId: string,
    labels: Readonly<Record<string, string>>,
    data: Readonly<Record<string, unknown>>,
    createdBy: string,
    targets: readonly string[],
  ): Promise<string[]> {
    const row = await this.store.insertNotificationMessage({
      id: this.ids.uuid(),
      notificationTemplateId: templateId,
      userId,
      payload: { labels, data },
      targets,
      createdBy,
      createdAt: this.clock.now(),
    });
    return [row.id];
  }
}

export interface TemplateAdminNotification {
  readonly templateId: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly data: Readonly<Record<string, unknown>>;
  readonly targets: readonly string[];
}

/**
 * Sends one notification to every user with the template-admin role. Every recipient is tried;
 * as upstream (spec §10.2 quirk 13), only the last failure is reported.
 */
export async function notifyTemplateAdmins(
  store: Store,
  enqueuer: NotificationsEnqueuer,
  notification: TemplateAdminNotification,
): Promise<void> {
  let admins: Awaited<ReturnType<Store["getUsers"]>>;
  try {
    admins = await store.getUsers({ rbacRole: TEMPLATE_ADMIN_ROLE });
  } catch (err) {
    throw wrapError("fetch template admins", err);
  }
  let lastError: Error | null = null;
  for (const admin of admins) {
    try {
      await enqueuer.enqueueWithData(
        admin.id,
        notification.templateId,
        notification.labels,
        notification.data,
        NOTIFICATION_CREATED_BY,
        notification.targets,
      );
    } catch (err) {
      lastError = wrapError(`send notification to ${admin.username}`, err);
    }
  }
  if (lastError !== null) throw lastError;
}

/** One resource a claim build had to replace, and the attribute paths that forced it. */
export interface ResourceReplacement {
  readonly resource: string;
  readonly paths: readonly string[];
}

export interface ResourceReplacedContext {
  readonly organizationId: string;
  readonly organizationName: string;
  readonly workspaceId: string;
  readonly workspaceName: string;
  readonly ownerId: string;
  readonly claimantUsername: string;
  readonly templateId: string;
  readonly templateName: string;
  readonly templateVersionId: string;
  readonly templateVersionName: string;
  readonly presetId: string;
  readonly presetName: string;
  readonly buildNumber: number;
}

/** The "Workspace Resource Replaced" notification of §7.1. */
export function resourceReplacedNotification(
  context: ResourceReplacedContext,
  replacements: readonly ResourceReplacement[],
): TemplateAdminNotification {
  const byResource: Record<string, string> = {};
  for (const r of replacements) byResource[r.resource] = r.paths.join(", ");
  return {
    templateId: NotificationTemplateId.WorkspaceResourceReplaced,
    labels: {
      org: context.organizationName,
      workspace: context.workspaceName,
      template: context.templateName,
      template_version: context.templateVersionName,
      preset: context.presetName,
      workspace_build_num: String(context.buildNumber),
      claimant: context.claimantUsername,
    },
    data: { replacements: byResource },
    targets: [
      context.workspaceId,
      context.ownerId,
      context.templateId,
      context.templateVersionId,
      context.presetId,
      context.organizationId,
    ],
  };
}

export interface FailureLimitContext {
  readonly organizationId: string;
  readonly organizationName: string;
  readonly templateId: string;
  readonly templateName: string;
  readonly templateVersionId: string;
  readonly templateVersionName: string;
  readonly presetId: string;
  readonly presetName: string;
}

/**
 * The "Prebuild Failure Limit Reached" notification (§7.2). Upstream stopped sending it; the
 * simulation sends it once per transition to `hard_limited` when a scenario asks (spec §12).
 */
export function failureLimitReachedNotification(context: FailureLimitContext): TemplateAdminNotification {
  return {
    templateId: NotificationTemplateId.PrebuildFailureLimitReached,
    labels: {
      org: context.organizationName,
      template: context.templateName,
      template_version: context.templateVersionName,
      preset: context.presetName,
    },
    data: {},
    targets: [context.templateId, context.templateVersionId, context.presetId, context.organizationId],
  };
}
