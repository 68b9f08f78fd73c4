// Upstream `coderd/prebuilds/claim_test.go`: the claim publisher and listener, ported by name.
// Rows from the versions of the file that differ (the listener returning its own channel that closes
// on cancel, the older raw-user-id payload) are ported where the model can express them: here a
// canceled listener stops delivering, and the channel stays open, as the v2.31 listener documents.
import { describe, expect, test } from "vitest";
import { EMPTY } from "../../src/clock/index.ts";
import { Context, Kernel } from "../../src/kernel/index.ts";
import { BrokenPubsub, MemoryPubsub } from "../../src/prebuilds/pubsub.ts";
import {
  decodeReinitializationEvent,
  encodeReinitializationEvent,
  PubsubWorkspaceClaimListener,
  PubsubWorkspaceClaimPublisher,
  prebuildClaimedChannel,
  REINITIALIZE_REASON_PREBUILD_CLAIMED,
} from "../../src/prebuilds/reinitialization.ts";

const WORKSPACE = "7b0e8c52-3f6a-4d1e-9c2b-5a4f3e2d1c0b";
const OTHER_WORKSPACE = "1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d";
const USER = "c42fdf75-3097-471c-8c33-fb52454d81c0";

function setup() {
  const kernel = new Kernel();
  const pubsub = new MemoryPubsub();
  const root = Context.background(kernel);
  const listener = new PubsubWorkspaceClaimListener(pubsub, kernel);
  return {
    kernel,
    pubsub,
    root,
    /** A listener for WORKSPACE's claims. */
    listen: (ctx: Context = root) => listener.listenForWorkspaceClaims(ctx, WORKSPACE),
    /** What an older publisher sends: the bare reason. */
    publishReason: (workspaceId = WORKSPACE) =>
      pubsub.publish(prebuildClaimedChannel(workspaceId), REINITIALIZE_REASON_PREBUILD_CLAIMED),
  };
}

const CLAIM = { workspaceId: WORKSPACE, reason: REINITIALIZE_REASON_PREBUILD_CLAIMED, ownerId: USER };

describe("TestPubsubWorkspaceClaimPublisher", () => {
  test.each([
    {
      name: "published claim is received by a listener for the same workspace",
      broken: false,
      received: CLAIM,
      error: null,
    },
    {
      name: "fail to publish claim",
      broken: true,
      received: EMPTY,
      error: "failed to trigger prebuilt workspace agent reinitialization",
    },
  ])("$name", async ({ broken, received, error }) => {
    const { pubsub, listen } = setup();
    const { events } = listen();
    const publisher = new PubsubWorkspaceClaimPublisher(broken ? new BrokenPubsub() : pubsub);
    const published = publisher.publishWorkspaceClaim(CLAIM);
    if (error === null) await published;
    else await expect(published).rejects.toThrow(error);
    expect(events.poll()).toEqual(received);
  });

  test("publish claim", async () => {
    // The older row subscribes to the raw channel: the payload names the workspace's new owner.
    const { pubsub } = setup();
    const payloads: string[] = [];
    pubsub.subscribe(prebuildClaimedChannel(WORKSPACE), (m) => payloads.push(m));
    await new PubsubWorkspaceClaimPublisher(pubsub).publishWorkspaceClaim(CLAIM);
    expect(payloads.map((p) => JSON.parse(p))).toEqual([
      { workspace_id: WORKSPACE, reason: "prebuild_claimed", owner_id: USER },
    ]);
  });
});

describe("TestPubsubWorkspaceClaimListener", () => {
  // An older publisher's bare reason on a channel; how the listener was stopped before it, if at all.
  test.each([
    {
      name: "finds claim events for its workspace",
      publishTo: WORKSPACE,
      stop: "none",
      // uuid.Nil upstream: no owner in a legacy payload.
      received: { workspaceId: WORKSPACE, reason: REINITIALIZE_REASON_PREBUILD_CLAIMED },
    },
    {
      name: "ignores claim events for other workspaces",
      publishTo: OTHER_WORKSPACE,
      stop: "none",
      received: EMPTY,
    },
    { name: "stops listening if context canceled", publishTo: WORKSPACE, stop: "context", received: EMPTY },
    {
      name: "stops listening if cancel func is called",
      publishTo: WORKSPACE,
      stop: "cancel",
      received: EMPTY,
    },
  ] as const)("$name", async ({ publishTo, stop, received }) => {
    const { root, listen, publishReason } = setup();
    const { ctx, cancel: cancelContext } = root.withCancel("listener");
    const { events, cancel } = listen(ctx);
    if (stop === "context") cancelContext();
    if (stop === "cancel") {
      cancel();
      cancel(); // once only, as upstream's sync.Once
    }
    await publishReason(publishTo);
    expect(events.poll()).toStrictEqual(received);
    // As upstream documents, the listener never closes the events channel.
    expect(events.closed).toBe(false);
  });

  test("communicates the error if it can't subscribe", () => {
    const { kernel, root } = setup();
    const listener = new PubsubWorkspaceClaimListener(new BrokenPubsub(), kernel);
    expect(() => listener.listenForWorkspaceClaims(root, WORKSPACE)).toThrow(
      "failed to subscribe to prebuild claimed channel",
    );
  });

  test("a context that has already ended is refused", () => {
    const { root, listen } = setup();
    const { ctx, cancel } = root.withCancel("gone");
    cancel();
    expect(() => listen(ctx)).toThrow(/context gone canceled/);
  });
});

describe("the event on the wire", () => {
  test.each([
    {
      name: "JSON round trip with an owner",
      payload: encodeReinitializationEvent({
        workspaceId: WORKSPACE,
        reason: "prebuild_claimed",
        ownerId: USER,
      }),
      expected: { workspaceId: WORKSPACE, reason: "prebuild_claimed", ownerId: USER },
    },
    {
      name: "JSON without an owner",
      payload: encodeReinitializationEvent({ workspaceId: WORKSPACE, reason: "prebuild_claimed" }),
      expected: { workspaceId: WORKSPACE, reason: "prebuild_claimed" },
    },
    {
      name: "legacy bare reason",
      payload: "prebuild_claimed",
      expected: { workspaceId: OTHER_WORKSPACE, reason: "prebuild_claimed" },
    },
    {
      name: "JSON that is not an object is a legacy reason",
      payload: "42",
      expected: { workspaceId: OTHER_WORKSPACE, reason: "42" },
    },
    {
      name: "a JSON object without a workspace id decodes to the nil uuid",
      payload: '{"reason":"prebuild_claimed"}',
      expected: { workspaceId: "00000000-0000-0000-0000-000000000000", reason: "prebuild_claimed" },
    },
  ])("$name", ({ payload, expected }) => {
    expect(decodeReinitializationEvent(payload, OTHER_WORKSPACE)).toEqual(expected);
  });

  test("the channel is named after the workspace", () => {
    expect(prebuildClaimedChannel(WORKSPACE)).toBe(`prebuild_claimed_${WORKSPACE}`);
  });
});
