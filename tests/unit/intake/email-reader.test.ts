import { readdirSync } from "node:fs";
import { afterAll, describe, expect, it } from "vitest";
import { inlineEmailReader, type ReadOutcome } from "@/lib/intake/email-reader";
import { emailReaderThread } from "@/lib/intake/email-reader-thread";
import type { IntakeMessage } from "@/lib/intake/read-email";
import { AUTHSERV_ID, FIXTURES, raw } from "./fixtures";

/**
 * The listener's parsing thread (lib/intake/email-reader.ts) must read every message exactly as
 * readEmail does on the main thread: the same parsed email (attachments as Buffers again), the
 * same keys, the same "unreadable" reasons — over the whole fixture corpus, the empty message and
 * one only declared over the limit.
 */

const corpus: IntakeMessage[] = [
  ...readdirSync(FIXTURES)
    .filter((name) => name.endsWith(".eml"))
    .sort()
    .map((name, uid) => ({ raw: raw(name), source: { mailbox: "INBOX", uidValidity: "1", uid } })),
  { raw: Buffer.alloc(0) },
  { raw: Buffer.from("Subject: only the headers\r\n\r\n"), declaredSize: 50 * 1024 * 1024 },
];
const settings = { authservId: AUTHSERV_ID, maxBytes: 64 * 1024 };

const plain = (outcomes: ReadOutcome[]) => outcomes.map((o) => (o.ok ? { ok: true, read: o.read } : { ok: false, error: String(o.error) }));

describe("reading mail on a worker thread", () => {
  const thread = emailReaderThread();
  afterAll(() => thread.close());

  it("gives the same ReadEmail as readEmail on this thread, for every fixture and for unreadable mail", async () => {
    const inline = await inlineEmailReader.readAll(corpus, settings);
    const threaded = await thread.readAll(corpus, settings);
    expect(threaded.every((o) => o.ok)).toBe(true);
    expect(plain(threaded)).toEqual(plain(inline));
    // The same message objects come back (their source and sizes are the listener's own).
    expect(threaded.map((o) => (o.ok ? o.read.message : null))).toEqual(corpus);
    const attachments = threaded.flatMap((o) => (o.ok ? (o.read.email?.attachments ?? []) : []));
    expect(attachments.length).toBeGreaterThan(0);
    expect(attachments.every((a) => Buffer.isBuffer(a.content))).toBe(true);
    expect(threaded.filter((o) => o.ok && o.read.unreadable !== null).map((o) => (o.ok ? o.read.unreadable : null))).toEqual([
      expect.stringContaining("larger than 64 KB"),
      "The message is empty.",
      expect.stringContaining("over the 64 KB limit"),
    ]);
  });

  it("answers chunks sent at once each with its own messages, in order", async () => {
    const [a, b] = await Promise.all([thread.readAll(corpus.slice(0, 3), settings), thread.readAll(corpus.slice(3, 5), settings)]);
    expect(plain(a)).toEqual(plain(await inlineEmailReader.readAll(corpus.slice(0, 3), settings)));
    expect(plain(b)).toEqual(plain(await inlineEmailReader.readAll(corpus.slice(3, 5), settings)));
  });

  it("a chunk still being read when the thread stops fails message by message; later chunks are read on this thread", async () => {
    const other = emailReaderThread();
    const pending = other.readAll(corpus, settings);
    await other.close();
    const failed = await pending;
    expect(failed).toHaveLength(corpus.length);
    expect(failed.every((o) => !o.ok && String(o.error).includes("parsing thread"))).toBe(true);
    expect(plain(await other.readAll(corpus.slice(0, 2), settings))).toEqual(plain(await inlineEmailReader.readAll(corpus.slice(0, 2), settings)));
  });
});
