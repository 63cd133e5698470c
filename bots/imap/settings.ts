import { z } from "zod";
import type { Env } from "../../lib/env";
import { DEFAULT_MAX_MESSAGE_BYTES } from "../../lib/intake/parse-email";

/**
 * The IMAP listener's settings, from the environment:
 *   IMAP_HOST, IMAP_PORT (993), IMAP_SECURE (true unless "false"), IMAP_USER, IMAP_PASSWORD,
 *   IMAP_MAILBOX (INBOX), IMAP_PROCESSED_FOLDER (Processed), IMAP_ATTENTION_FOLDER (Needs-attention),
 *   IMAP_AUTHSERV_ID (the operator mail server's Authentication-Results id; unset: no sender is
 *   authenticated), IMAP_MAX_MESSAGE_BYTES (10 MB), IMAP_BATCH_MESSAGES (400: messages fetched and
 *   ingested in one transaction).
 * No IMAP_HOST: the listener is not configured (null).
 */
const bool = z.preprocess((v) => (typeof v === "string" ? !["false", "0", "no", "off"].includes(v.trim().toLowerCase()) : v), z.boolean());

export const imapSettingsSchema = z.object({
  host: z.string().trim().min(1, "IMAP_HOST is required"),
  port: z.coerce.number().int().min(1).max(65535).optional(),
  secure: bool.default(true),
  user: z.string().trim().min(1, "IMAP_USER is required"),
  password: z.string().min(1, "IMAP_PASSWORD is required"),
  mailbox: z.string().trim().min(1).default("INBOX"),
  processedFolder: z.string().trim().min(1).default("Processed"),
  attentionFolder: z.string().trim().min(1).default("Needs-attention"),
  authservId: z.string().trim().min(1).nullable().default(null),
  maxMessageBytes: z.coerce.number().int().min(1024).default(DEFAULT_MAX_MESSAGE_BYTES),
  /** Messages fetched and ingested in one transaction (unset: DEFAULT_BATCH_MESSAGES). */
  batchMessages: z.coerce.number().int().min(1).max(1000).optional(),
});

/**
 * A batch's fixed costs (a dozen statements, a FETCH and a MOVE a folder) are shared by its
 * messages; its transaction holds the audit chain's lock for its length (about 0.1 s at 200).
 */
export const DEFAULT_BATCH_MESSAGES = 400;
export type ImapSettings = z.infer<typeof imapSettingsSchema>;

export function imapSettingsFromEnv(env: Env = process.env): ImapSettings | null {
  if (!env.IMAP_HOST?.trim()) return null;
  const blank = (v: string | undefined) => (v === undefined || v.trim() === "" ? undefined : v);
  const result = imapSettingsSchema.safeParse({
    host: env.IMAP_HOST,
    port: blank(env.IMAP_PORT),
    secure: blank(env.IMAP_SECURE),
    user: env.IMAP_USER ?? "",
    password: env.IMAP_PASSWORD ?? "",
    mailbox: blank(env.IMAP_MAILBOX),
    processedFolder: blank(env.IMAP_PROCESSED_FOLDER),
    attentionFolder: blank(env.IMAP_ATTENTION_FOLDER),
    authservId: blank(env.IMAP_AUTHSERV_ID) ?? null,
    maxMessageBytes: blank(env.IMAP_MAX_MESSAGE_BYTES),
    batchMessages: blank(env.IMAP_BATCH_MESSAGES),
  });
  if (!result.success) {
    throw new Error(`IMAP settings are invalid: ${result.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`);
  }
  return result.data;
}
