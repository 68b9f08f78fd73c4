// The prebuilds settings site-config row (spec §1.1, §1.6): the reconciliation pause flag.
import { PREBUILDS_SETTINGS_KEY } from "../constants.ts";
import { defineQuery, text } from "./sql.ts";

/** The stored JSON, or `{}` when the row is absent. */
export const getPrebuildsSettings = defineQuery("GetPrebuildsSettings", async (q): Promise<string> => {
  const rows = await q.query(
    "SELECT coalesce((SELECT value FROM site_configs WHERE key = $1), '{}') AS value",
    [PREBUILDS_SETTINGS_KEY],
  );
  return text(rows[0]?.value, "value");
});

export const upsertPrebuildsSettings = defineQuery(
  "UpsertPrebuildsSettings",
  async (q, value: string): Promise<void> => {
    await q.query(
      `INSERT INTO site_configs (key, value) VALUES ($1, $2)
     ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value`,
      [PREBUILDS_SETTINGS_KEY, value],
    );
  },
);
