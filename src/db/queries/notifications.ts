// Notification messages (spec §7): the enqueuer writes them, checks and reports read them.
import type { RawRow } from "../driver.ts";
import type { NotificationMessageRow } from "../rows.ts";
import type { InsertNotificationMessageParams } from "../store.ts";
import { at, defineQuery, instant, text, textArray } from "./sql.ts";

const COLUMNS = `id, notification_template_id, user_id, method, status, payload, created_by,
  targets::text[] AS targets, created_at`;

function mapMessage(r: RawRow): NotificationMessageRow {
  return {
    id: text(r.id, "id"),
    notificationTemplateId: text(r.notification_template_id, "notification_template_id"),
    userId: text(r.user_id, "user_id"),
    method: text(r.method, "method"),
    status: text(r.status, "status"),
    payload: r.payload,
    createdBy: text(r.created_by, "created_by"),
    targets: textArray(r.targets, "targets"),
    createdAt: instant(r.created_at, "created_at"),
  };
}

export const insertNotificationMessage = defineQuery(
  "InsertNotificationMessage",
  async (q, p: InsertNotificationMessageParams): Promise<NotificationMessageRow> => {
    const rows = await q.query(
      `INSERT INTO notification_messages
         (id, notification_template_id, user_id, method, payload, created_by, targets, created_at, updated_at)
       VALUES ($1::uuid, $2::uuid, $3::uuid, $4, $5::jsonb, $6, $7::uuid[], ${at(8)}, ${at(8)})
       RETURNING ${COLUMNS}`,
      [
        p.id,
        p.notificationTemplateId,
        p.userId,
        p.method ?? "smtp",
        JSON.stringify(p.payload),
        p.createdBy,
        p.targets,
        p.createdAt,
      ],
    );
    return mapMessage(rows[0] as RawRow);
  },
);

export const getNotificationMessages = defineQuery(
  "GetNotificationMessages",
  async (q): Promise<NotificationMessageRow[]> => {
    const rows = await q.query(`SELECT ${COLUMNS} FROM notification_messages ORDER BY created_at, id`);
    return rows.map(mapMessage);
  },
);
