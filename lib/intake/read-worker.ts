import { parentPort } from "node:worker_threads";
import type { IncomingEmail } from "./parse-email";
import { readEmail, type IntakeSettings, type MessageKeys } from "./read-email";

/**
 * The email parsing thread (lib/intake/email-reader.ts): readEmail on each message of a chunk,
 * in order. Imports only read-email.ts and what it needs (mailparser, zod), not the app.
 */

export interface ReadRequest {
  id: number;
  settings: IntakeSettings;
  /** The chunk's sources back to back; spans give each one's length, in order. */
  buffer: ArrayBuffer;
  spans: { length: number; declaredSize?: number }[];
}

/** A message read (attachment contents arrive as Uint8Array), or the error readEmail threw. */
export type ThreadOutcome =
  | { ok: true; email: (Omit<IncomingEmail, "attachments"> & { attachments: (Omit<IncomingEmail["attachments"][number], "content"> & { content: Uint8Array })[] }) | null; unreadable: string | null; keys: MessageKeys }
  | { ok: false; name: string; message: string };

export interface ReadResponse {
  id: number;
  results: ThreadOutcome[];
}

async function readChunk(request: ReadRequest): Promise<ThreadOutcome[]> {
  const results: ThreadOutcome[] = [];
  let offset = 0;
  for (const span of request.spans) {
    const raw = Buffer.from(request.buffer, offset, span.length);
    offset += span.length;
    try {
      const read = await readEmail({ raw, ...(span.declaredSize !== undefined ? { declaredSize: span.declaredSize } : {}) }, request.settings);
      // An attachment's Buffer may be a view on a larger pool, which cloning would copy whole: each goes as a copy of its own bytes.
      const email = read.email ? { ...read.email, attachments: read.email.attachments.map((a) => ({ ...a, content: new Uint8Array(a.content) })) } : null;
      results.push({ ok: true, email, unreadable: read.unreadable, keys: read.keys });
    } catch (error) {
      results.push(error instanceof Error ? { ok: false, name: error.name, message: error.message } : { ok: false, name: "Error", message: String(error) });
    }
  }
  return results;
}

const port = parentPort;
if (port) {
  // Chunks are answered one at a time, in the order they came.
  let queue = Promise.resolve();
  port.on("message", (request: ReadRequest) => {
    queue = queue.then(async () => {
      const results = await readChunk(request).catch((error: unknown) => request.spans.map((): ThreadOutcome => ({ ok: false, name: "Error", message: String(error) })));
      port.postMessage({ id: request.id, results } satisfies ReadResponse);
    });
  });
}
