import { createHash } from "node:crypto";
import { simpleParser, type AddressObject } from "mailparser";
import { z } from "zod";
import { AppError } from "../errors";

/** Messages larger than this are not parsed: they go to staff untouched (IMAP_MAX_MESSAGE_BYTES). */
export const DEFAULT_MAX_MESSAGE_BYTES = 10 * 1024 * 1024;
const MAX_TEXT_CHARS = 100_000;

const attachmentSchema = z.object({
  filename: z.string().nullable(),
  contentType: z.string(),
  size: z.number().int().nonnegative(),
  content: z.instanceof(Buffer),
});

/** A received email as the intake reads it: the boundary between mailparser and the rules. */
export const incomingEmailSchema = z.object({
  /** sha256 of the raw message: the same bytes are the same message. */
  contentHash: z.string().regex(/^[0-9a-f]{64}$/),
  /** The Message-ID without angle brackets, lower-cased; null when the message has none. */
  messageId: z.string().min(1).max(998).nullable(),
  size: z.number().int().nonnegative(),
  from: z.object({ address: z.string().max(254), name: z.string().max(500).nullable() }).nullable(),
  subject: z.string().max(2000),
  date: z.date().nullable(),
  text: z.string(),
  inReplyTo: z.string().nullable(),
  references: z.array(z.string()),
  /** Every header line as "name: value" pairs (names lower-case), in message order. */
  headers: z.array(z.object({ name: z.string(), value: z.string() })),
  attachments: z.array(attachmentSchema),
  /** The MIME type of the whole message (multipart/report for a delivery report). */
  contentType: z.string(),
});
export type IncomingEmail = z.infer<typeof incomingEmailSchema>;

function firstAddress(from: AddressObject | AddressObject[] | undefined): { address: string; name: string | null } | null {
  const list = Array.isArray(from) ? from.flatMap((f) => f.value) : (from?.value ?? []);
  const first = list.find((a) => a.address && a.address.includes("@"));
  if (!first?.address) return null;
  return { address: first.address.trim(), name: first.name?.trim() || null };
}

function bareId(value: string | undefined | null): string | null {
  const id = value?.trim().replace(/^<|>$/g, "").trim().toLowerCase();
  return id ? id : null;
}

/**
 * Parses a raw message. Refuses (AppError "validation") an empty or over-large one; anything
 * else mailparser can read, however broken, comes back with what could be recovered.
 */
export async function parseEmail(raw: Buffer, options: { maxBytes?: number } = {}): Promise<IncomingEmail> {
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_MESSAGE_BYTES;
  if (raw.length === 0) throw new AppError("validation", "empty message", "The message is empty.");
  if (raw.length > maxBytes) throw new AppError("validation", `message of ${raw.length} bytes over the ${maxBytes}-byte limit`, `The message is larger than ${Math.floor(maxBytes / 1024)} KB, so it was not read automatically.`);
  const contentHash = createHash("sha256").update(raw).digest("hex");
  let parsed: Awaited<ReturnType<typeof simpleParser>>;
  try {
    parsed = await simpleParser(raw, { skipImageLinks: true, skipTextToHtml: true, skipTextLinks: true });
  } catch (error) {
    throw new AppError("validation", `unreadable message: ${error instanceof Error ? error.message : String(error)}`, "The message could not be read as an email.");
  }
  const references = Array.isArray(parsed.references) ? parsed.references : parsed.references ? [parsed.references] : [];
  const headers = parsed.headerLines.map((h) => {
    const colon = h.line.indexOf(":");
    return { name: h.key.toLowerCase(), value: (colon >= 0 ? h.line.slice(colon + 1) : h.line).replace(/\r?\n[ \t]+/g, " ").trim() };
  });
  const contentType = (headers.find((h) => h.name === "content-type")?.value ?? "text/plain").toLowerCase();
  return incomingEmailSchema.parse({
    contentHash,
    messageId: bareId(parsed.messageId)?.slice(0, 998) ?? null,
    size: raw.length,
    from: firstAddress(parsed.from),
    subject: (parsed.subject ?? "").slice(0, 2000),
    date: parsed.date && !Number.isNaN(parsed.date.getTime()) ? parsed.date : null,
    text: (parsed.text ?? "").replace(/\0/g, "").slice(0, MAX_TEXT_CHARS),
    inReplyTo: bareId(parsed.inReplyTo),
    references: references.map(bareId).filter((r): r is string => !!r),
    headers,
    attachments: parsed.attachments.map((a) => ({ filename: a.filename ?? null, contentType: a.contentType.toLowerCase(), size: a.size, content: a.content })),
    contentType,
  });
}
