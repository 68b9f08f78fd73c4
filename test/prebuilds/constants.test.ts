// Fixed identities of spec §1.1.
import { describe, expect, it } from "vitest";
import {
  DeprovisionMode,
  LockId,
  PREBUILDS_GROUP_DISPLAY_NAME,
  PREBUILDS_GROUP_NAME,
  PREBUILDS_SYSTEM_USER_ID,
} from "../../src/prebuilds/constants.ts";

describe("prebuilds constants", () => {
  it("match upstream's identities", () => {
    expect(PREBUILDS_SYSTEM_USER_ID).toBe("c42fdf75-3097-471c-8c33-fb52454d81c0");
    expect(PREBUILDS_GROUP_NAME).toBe("coderprebuiltworkspaces");
    expect(PREBUILDS_GROUP_DISPLAY_NAME).toBe("Prebuilt Workspaces");
  });

  it("number the advisory locks from 1, reconcile-prebuilds being 7", () => {
    expect(Object.values(LockId)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(LockId.ReconcilePrebuilds).toBe(7);
  });

  it("number the deprovision modes normal 0, orphan 1", () => {
    expect(DeprovisionMode).toEqual({ Normal: 0, Orphan: 1 });
  });
});
