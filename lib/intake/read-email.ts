import { createHash } from "node:crypto";
import { AppError } from "../errors";
import { DEFAULT_MAX_MESSAGE_BYTES, parseEmail, type IncomingEmail } from "./parse-email";

/**
 * Reading a message: everything the intake does to one before the database — parsing it and
 * working out its idempotency keys. Pure, and kept apart from ingest-email.ts (which needs the
 * whole app) so that a worker thread can load it alone (lib/intake/email-reader.ts).
 */

export interface IntakeSettings {
  /** The authserv-id of the operator's own mail server: only its Authentication-Results are believed. */
  authservId: string | null;
  maxBytes?: number;
}

/** One message as the listener hands it over: its bytes and where it was read. */
export interface IntakeMessage {
  raw: Buffer;
  /** Where it was read from (for the audit event). */
  source?: { mailbox: string; uidValidity: string; uid: number } | null;
  /**
   * The size the server reports when only the headers were fetched (`raw` is then the header
   * block): a message over the limit is filed for staff without being downloaded or parsed.
   */
  declaredSize?: number;
}

export interface MessageKeys {
  messageId: string | null;
  messageIdHash: string | null;
  contentHash: string;
}

const digest = (value: string) => createHash("sha256").update(value).digest("hex");

/** A message's idempotency keys: its Message-ID (with its digest, the unique key) and the sha256 of its bytes. */
export function messageKeys(message: { messageId: string | null; contentHash: string }): MessageKeys {
  return { messageId: message.messageId, messageIdHash: message.messageId ? digest(message.messageId) : null, contentHash: message.contentHash };
}

/** A message once read: parsed (or why it could not be), with its idempotency keys. */
export interface ReadEmail {
  message: IntakeMessage;
  email: IncomingEmail | null;
  unreadable: string | null;
  keys: MessageKeys;
}

/**
 * Parses a message (outside any transaction, so the listener can read the next batch while the
 * database works on this one). Mail mailparser cannot read, or over the size limit, is not an
 * error: it goes to staff. Anything else (a bug) is thrown.
 */
export async function readEmail(message: IntakeMessage, settings: IntakeSettings): Promise<ReadEmail> {
  const maxBytes = settings.maxBytes ?? DEFAULT_MAX_MESSAGE_BYTES;
  let email: IncomingEmail | null = null;
  let unreadable: string | null = null;
  if (message.declaredSize !== undefined && message.declaredSize > maxBytes) {
    unreadable = `The message is ${Math.ceil(message.declaredSize / 1024)} KB, over the ${Math.floor(maxBytes / 1024)} KB limit, so it was not read automatically.`;
  } else {
    try {
      email = await parseEmail(message.raw, { maxBytes });
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      unreadable = error.userMessage;
    }
  }
  const keys = email ? messageKeys(email) : messageKeys({ messageId: null, contentHash: createHash("sha256").update(message.raw).digest("hex") });
  return { message, email, unreadable, keys };
}
