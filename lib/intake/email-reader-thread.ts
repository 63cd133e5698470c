import { Worker } from "node:worker_threads";
import { inlineEmailReader, type EmailReader, type ReadOutcome } from "./email-reader";
import type { IntakeMessage } from "./read-email";
import type { ReadRequest, ReadResponse, ThreadOutcome } from "./read-worker";

export interface EmailReaderThreadOptions {
  /** Told once when the thread fails or stops unasked: its pending chunks fail (they stay in the mailbox) and reading goes on inline. */
  onFailure?: (error: Error) => void;
}

/**
 * readEmail on a worker thread of its own (lib/intake/read-worker.ts, started through
 * read-worker-entry.mjs, which registers tsx as Node 20 does not hand the loader on; so it needs
 * the process to run with tsx, as bots/imap/main.ts does — not inside the Next.js bundle). A chunk
 * crosses as one message: its sources packed into one transferred buffer, the parsed emails
 * coming back by structured clone (attachment contents made Buffers again). If the thread
 * fails, what it was reading fails with that error and later chunks are read inline.
 */
export function emailReaderThread(options: EmailReaderThreadOptions = {}): EmailReader {
  let worker: Worker | null = new Worker(new URL("./read-worker-entry.mjs", import.meta.url), { execArgv: [], resourceLimits: { maxYoungGenerationSizeMb: YOUNG_GENERATION_MB } });
  // A listener that is never closed must not keep the process alive for its parser.
  worker.unref();
  let nextId = 1;
  const pending = new Map<number, { resolve: (results: ThreadOutcome[]) => void; reject: (error: Error) => void }>();
  let closing = false;

  const fail = (error: Error) => {
    if (!worker) return;
    worker = null;
    for (const { reject } of pending.values()) reject(error);
    pending.clear();
    if (!closing) options.onFailure?.(error);
  };
  worker.on("message", (response: ReadResponse) => {
    const waiting = pending.get(response.id);
    pending.delete(response.id);
    waiting?.resolve(response.results);
  });
  worker.on("error", (error) => fail(new Error(`the email parsing thread failed: ${error.message}`)));
  worker.on("exit", (code) => fail(new Error(`the email parsing thread stopped (exit ${code})`)));

  return {
    async readAll(messages, settings) {
      const thread = worker;
      if (!thread) return inlineEmailReader.readAll(messages, settings);
      const { buffer, spans } = pack(messages);
      const id = nextId++;
      const request: ReadRequest = { id, settings: { authservId: settings.authservId, ...(settings.maxBytes !== undefined ? { maxBytes: settings.maxBytes } : {}) }, buffer, spans };
      let results: ThreadOutcome[];
      try {
        results = await new Promise<ThreadOutcome[]>((resolve, reject) => {
          pending.set(id, { resolve, reject });
          thread.postMessage(request, [buffer]);
        });
      } catch (error) {
        return messages.map(() => ({ ok: false, error }));
      }
      return results.map((result, i): ReadOutcome => {
        if (!result.ok) return { ok: false, error: Object.assign(new Error(result.message), { name: result.name }) };
        const email = result.email ? { ...result.email, attachments: result.email.attachments.map((a) => ({ ...a, content: asBuffer(a.content) })) } : null;
        return { ok: true, read: { message: messages[i]!, email, unreadable: result.unreadable, keys: result.keys } };
      });
    },
    async close() {
      closing = true;
      const thread = worker;
      if (!thread) return;
      await thread.terminate();
      fail(new Error("the email parsing thread was closed"));
    },
  };
}

/**
 * Parsing a chunk makes a great deal of short-lived garbage (mailparser's streams, decoded
 * strings); a young generation larger than V8's default means far fewer scavenges.
 */
const YOUNG_GENERATION_MB = 64;

/** The chunk's sources in one fresh buffer (a Buffer may be a view on a larger pool, which cloning would copy whole). */
function pack(messages: readonly IntakeMessage[]): { buffer: ArrayBuffer; spans: { length: number; declaredSize?: number }[] } {
  const total = messages.reduce((sum, m) => sum + m.raw.length, 0);
  const packed = new Uint8Array(new ArrayBuffer(total));
  let offset = 0;
  const spans = messages.map((m) => {
    packed.set(m.raw, offset);
    offset += m.raw.length;
    return { length: m.raw.length, ...(m.declaredSize !== undefined ? { declaredSize: m.declaredSize } : {}) };
  });
  return { buffer: packed.buffer, spans };
}

/** Structured clone turns a Buffer into a plain Uint8Array: the intake's schema and importer expect a Buffer. */
const asBuffer = (bytes: Uint8Array): Buffer => (Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
