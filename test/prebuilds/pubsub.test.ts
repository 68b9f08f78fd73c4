// The pubsub the reconciler announces jobs on (upstream `provisionerjobs.PostJob`), in memory.
import { expect, test } from "vitest";
import type { ProvisionerJobRow } from "../../src/db/rows.ts";
import { CLOSED, Kernel } from "../../src/kernel/index.ts";
import {
  BrokenPubsub,
  EVENT_PROVISIONER_JOB_POSTED,
  MemoryPubsub,
  parseJobPosting,
  postJob,
  subscribeChannel,
} from "../../src/prebuilds/pubsub.ts";

const job = {
  id: "5c3e4f55-2b57-4f0e-9a50-0f1f1c2b3a4d",
  organizationId: "2d4f0a6e-8c3b-4e71-9a5d-0f1e2c3b4a59",
  initiatorId: "c42fdf75-3097-471c-8c33-fb52454d81c0",
  provisioner: "terraform",
  tags: { scope: "organization" },
} as unknown as ProvisionerJobRow;

test("postJob publishes a posting that parses back", async () => {
  const pubsub = new MemoryPubsub();
  const received: string[] = [];
  pubsub.subscribe(EVENT_PROVISIONER_JOB_POSTED, (m) => received.push(m));
  await postJob(pubsub, job);
  expect(received.map(parseJobPosting)).toEqual([
    {
      jobId: job.id,
      organizationId: job.organizationId,
      provisionerType: "terraform",
      initiatorId: job.initiatorId,
      tags: { scope: "organization" },
    },
  ]);
  expect(pubsub.published.get(EVENT_PROVISIONER_JOB_POSTED)).toBe(1);
});

test("listeners get messages in subscription order; a removed one gets none; the same listener twice gets two", async () => {
  const pubsub = new MemoryPubsub();
  const seen: string[] = [];
  const a = (m: string) => seen.push(`a:${m}`);
  pubsub.subscribe("e", a);
  pubsub.subscribe("e", a);
  const cancel = pubsub.subscribe("e", (m) => seen.push(`b:${m}`));
  pubsub.subscribe("other", (m) => seen.push(`other:${m}`));
  await pubsub.publish("e", "1");
  cancel();
  await pubsub.publish("e", "2");
  expect(seen).toEqual(["a:1", "a:1", "b:1", "a:2", "a:2"]);
});

test("a throwing listener does not keep the message from the others; the publisher sees the error", async () => {
  const pubsub = new MemoryPubsub();
  const seen: string[] = [];
  pubsub.subscribe("e", () => {
    throw new Error("listener broke");
  });
  pubsub.subscribe("e", (m) => seen.push(m));
  await expect(pubsub.publish("e", "x")).rejects.toThrow(/pubsub listener of e failed/);
  expect(seen).toEqual(["x"]);
});

test("the broken pubsub fails every publish", async () => {
  await expect(postJob(new BrokenPubsub(), job)).rejects.toThrow(/pubsub is broken/);
});

test("parseJobPosting rejects a malformed message", () => {
  expect(() => parseJobPosting('{"jobId":1}')).toThrow(/malformed job posting/);
});

test("a channel subscription buffers up to its capacity, drops the rest, and closes on cancel", async () => {
  const kernel = new Kernel({ seed: 1 });
  const pubsub = new MemoryPubsub();
  const sub = subscribeChannel(pubsub, kernel, "e", 2);
  for (const m of ["1", "2", "3"]) await pubsub.publish("e", m);
  expect(sub.dropped()).toBe(1);
  const received: unknown[] = [];
  kernel.spawn("daemon", async () => {
    for (;;) {
      const m = await sub.channel.receive();
      received.push(m);
      if (m === CLOSED) return;
      if (received.length === 2) sub.cancel();
    }
  });
  await kernel.run();
  expect(received).toEqual(["1", "2", CLOSED]);
  await pubsub.publish("e", "4");
  expect(sub.dropped()).toBe(1);
});
