import { readEmail, type IntakeMessage, type IntakeSettings, type ReadEmail } from "./read-email";

/** One message of a chunk once read, or the error that stopped it (that message fails alone; the others go on). */
export type ReadOutcome = { ok: true; read: ReadEmail } | { ok: false; error: unknown };

/**
 * Reads the listener's chunks of messages (readEmail on each, in order). Parsing is most of the
 * intake's CPU besides the database's, so the listener can have it done on a worker thread
 * (emailReaderThread in email-reader-thread.ts — a module of its own, so the Next.js server's
 * bundle, which parses inline, never meets the worker's entry) while this thread classifies and
 * writes the chunk before; the result is the same ReadEmail either way
 * (tests/unit/intake/email-reader.test.ts).
 */
export interface EmailReader {
  readAll(messages: readonly IntakeMessage[], settings: IntakeSettings): Promise<ReadOutcome[]>;
  /** Stops the worker thread, if any (pending reads fail). */
  close(): Promise<void>;
}

/** readEmail on this thread, one message after another. */
export const inlineEmailReader: EmailReader = {
  async readAll(messages, settings) {
    const out: ReadOutcome[] = [];
    for (const message of messages) {
      try {
        out.push({ ok: true, read: await readEmail(message, settings) });
      } catch (error) {
        out.push({ ok: false, error });
      }
    }
    return out;
  },
  async close() {},
};
