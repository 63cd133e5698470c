import { describe, expect, it } from "vitest";
import { chunks } from "@/bots/imap/listener";

/** How the listener cuts a mailbox listing into batches (bots/imap/listener.ts). */
describe("the listener's batches", () => {
  const listing = (n: number, size = 4_000) => Array.from({ length: n }, (_, uid) => ({ uid, size }));
  const sizes = (batches: unknown[][]) => batches.map((b) => b.length);

  it("hold IMAP_BATCH_MESSAGES messages each, keeping every message once and in order", () => {
    const messages = listing(1_050);
    const batches = chunks(messages, 10 * 1024 * 1024, 200);
    expect(sizes(batches)).toEqual([200, 200, 200, 200, 200, 50]);
    expect(batches.flat()).toEqual(messages);
    expect(sizes(chunks(listing(50), 10 * 1024 * 1024, 20))).toEqual([20, 20, 10]);
    expect(sizes(chunks(listing(3), 10 * 1024 * 1024, 1))).toEqual([1, 1, 1]);
  });

  it("close a batch at 8 MB of messages, an oversize one (only its headers fetched) counting nothing", () => {
    const big = listing(10, 3 * 1024 * 1024);
    expect(sizes(chunks(big, 10 * 1024 * 1024, 200))).toEqual([2, 2, 2, 2, 2]);
    expect(sizes(chunks(big, 1024 * 1024, 200))).toEqual([10]);
  });
});
