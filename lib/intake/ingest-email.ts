import { and, eq, inArray, sql } from "drizzle-orm";
import { recordAuditEntries } from "../audit/record-audit";
import type { Actor, AuditInput } from "../audit/events";
import type { Clock } from "../clock";
import type { PortalConfig } from "../config";
import { accounts } from "../db/schema/accounts";
import { outboundMessages } from "../db/schema/outbox";
import { requestNotes, requests } from "../db/schema/requests";
import type { Executor } from "../db/types";
import { AppError } from "../errors";
import { importUsers, type ImportResult } from "../imports/import-users";
import { readImportFile } from "../imports/read-import-file";
import { enqueueMessages, type OutboundMessage } from "../mail/enqueue-message";
import { normaliseEmail } from "../policy/email-policy";
import { queryReference } from "../queries/rules";
import { appendQueryReplyFromEmail, type QueryReplyRefusal } from "../queries/reply-by-email";
import { formatReference } from "../requests/rules";
import { readPayload, type SenderAuthenticationEvidence } from "../requests/schema";
import { submitRequest } from "../requests/submit-request";
import { senderAuthentication, type SenderAuthentication } from "./authentication";
import { classifyEmail, isSpreadsheet, leaverReason, mentionedAddresses, ownWords, type Classification, type IntakeKind } from "./classify";
import { intakeReplyMessage } from "./messages";
import type { IncomingEmail } from "./parse-email";
import { readEmail, type IntakeMessage, type IntakeSettings, type ReadEmail } from "./read-email";
import { claimMessages, completeClaims, processedRecord, takeReplySlots, type ClaimOutcome } from "./records";
import { randomUUID } from "node:crypto";

export { readEmail, type IntakeMessage, type IntakeSettings, type ReadEmail } from "./read-email";

/** Where the listener files a message once its outcome is committed. */
export type IntakeFolder = "processed" | "needs_attention";

export interface IntakeOutcome {
  kind: IntakeKind;
  /** The provider account the message was linked to (its email), only for an authenticated sender. */
  account: string | null;
  senderVerified: boolean;
  /** The reference of the request created or added to. */
  request: string | null;
  reason: string;
  folder: IntakeFolder;
  /** What was done: request_submitted, note_added, query_replied, ignored, bounce_recorded, needs_attention, refused, duplicate. */
  action: "request_submitted" | "note_added" | "query_replied" | "bulk_imported" | "ignored" | "bounce_recorded" | "needs_attention" | "refused" | "duplicate";
  messageId: string | null;
  from: string | null;
  authentication: SenderAuthentication | null;
  /** The id of the request behind `request`, for the inbound_messages row. */
  requestId?: string | null;
}

export interface IngestEmailOptions {
  db: Executor;
  clock: Clock;
  config: PortalConfig;
  raw: Buffer;
  settings: IntakeSettings;
  /** Where it was read from (for the audit event). */
  source?: { mailbox: string; uidValidity: string; uid: number } | null;
  /**
   * The portal's public address, for the sign-in link when staff answer a query by email; without
   * it such a reply goes to Needs attention (a provider's reply needs none).
   */
  baseUrl?: string | null;
  /** Runs everything, then rolls it back: nothing is written or sent. */
  dryRun?: boolean;
  /**
   * The size the server reports when only the headers were fetched (`raw` is then the header
   * block): a message over the limit is filed for staff without being downloaded or parsed.
   */
  declaredSize?: number;
}

class DryRunRollback extends Error {
  constructor(readonly results: IngestResult[]) {
    super("dry run");
  }
}

type AccountRow = typeof accounts.$inferSelect;
type RequestRow = typeof requests.$inferSelect;

/** What became of one message of a batch: its committed outcome, or why it failed (it stays in the mailbox). */
export type IngestResult = { ok: true; outcome: IntakeOutcome } | { ok: false; error: unknown };

export type IngestBatchOptions = Omit<IngestEmailOptions, "raw" | "source" | "declaredSize">;

/**
 * Turns one received email into its outcome, in one transaction: the message is claimed (by
 * Message-ID and content hash, so it is acted on once however often it is fetched), classified,
 * linked to an account only when its From address is that account's and the operator's mail
 * server authenticated it (UAP-A.8), and then — through the same use cases as the web — made
 * into a request (UAP-4.1), a note on a request, a bounce record or a staff triage item; every
 * outcome is audited with channel "email", and the sender hears back through the outbox
 * (never for automatic mail, so no loops). It is ingestEmails with a batch of one.
 */
export async function ingestEmail(options: IngestEmailOptions): Promise<IntakeOutcome> {
  const { raw, source, declaredSize, ...batch } = options;
  const read = await readEmail({ raw, source: source ?? null, ...(declaredSize !== undefined ? { declaredSize } : {}) }, options.settings);
  const [result] = await ingestReadEmails(batch, [read]);
  if (!result!.ok) throw result!.error;
  return result!.outcome;
}

/** ingestEmails for messages not yet read. */
export async function ingestEmails(options: IngestBatchOptions, messages: readonly IntakeMessage[]): Promise<IngestResult[]> {
  const read: (ReadEmail | { error: unknown })[] = [];
  for (const message of messages) read.push(await readEmail(message, options.settings).catch((error: unknown) => ({ error })));
  const ok = read.filter((r): r is ReadEmail => !("error" in r));
  const results = await ingestReadEmails(options, ok);
  let next = 0;
  return read.map((r) => ("error" in r ? { ok: false, error: r.error } : results[next++]!));
}

/**
 * A batch of read messages, each dealt with exactly as ingestEmail deals with one, in message
 * order. Runs of messages that only the intake writes for — replies that become notes,
 * auto-replies, mail for staff — share one transaction: the claims in one statement, the senders'
 * accounts and the quoted requests looked up once, and what the messages write (notes, audit
 * events, replies, outcomes) written together, a statement a kind. A message that goes through
 * a use case taking locks of its own (submitRequest's per-organisation lock, the importer, a
 * query thread, the outbox rows a bounce marks) has a transaction to itself, as from the web, so
 * its locks are taken in the web's order and never held behind the audit chain's lock a batch
 * took earlier (which a concurrent web request could be waiting the other way round for).
 * A shared transaction that throws is rolled back and its messages are taken again one a
 * transaction: the bad one fails alone (it stays in the mailbox and is retried), the others
 * commit, and a crash loses nothing (nothing of an uncommitted batch was done; a committed one is
 * recognised by its keys).
 */
export async function ingestReadEmails(options: IngestBatchOptions, messages: readonly ReadEmail[]): Promise<IngestResult[]> {
  const results: IngestResult[] = [];
  let run: ReadEmail[] = [];
  const take = async (list: ReadEmail[]) => {
    if (list.length > 0) results.push(...(await ingestTogether(options, list)));
  };
  for (const message of messages) {
    if (!ownTransaction(message, options.config)) {
      run.push(message);
      continue;
    }
    await take(run);
    run = [];
    await take([message]);
  }
  await take(run);
  return results;
}

/** Whether a message's path runs a use case that takes locks of its own (see ingestReadEmails). */
function ownTransaction(read: ReadEmail, config: PortalConfig): boolean {
  if (!read.email) return false;
  const classification = classificationOf(read.email, config);
  if (classification.kind === "reply") return classification.queryNumber !== undefined;
  return classification.kind !== "auto_reply" && classification.kind !== "unclassified";
}

/** Each email's classification, worked out once: ownTransaction sorts the batch by it, runBatch acts on it (classifyEmail is pure). */
const classifications = new WeakMap<IncomingEmail, { operatorMailbox: string; classification: Classification }>();
function classificationOf(email: IncomingEmail, config: PortalConfig): Classification {
  const operatorMailbox = config.operator.mailbox;
  const known = classifications.get(email);
  if (known?.operatorMailbox === operatorMailbox) return known.classification;
  const classification = classifyEmail(email, { operatorMailbox });
  classifications.set(email, { operatorMailbox, classification });
  return classification;
}

async function ingestTogether(options: IngestBatchOptions, messages: readonly ReadEmail[]): Promise<IngestResult[]> {
  try {
    return await runBatch(options, messages);
  } catch (error) {
    if (error instanceof DryRunRollback) return error.results;
    if (messages.length === 1) return [{ ok: false, error }];
  }
  const results: IngestResult[] = [];
  for (const message of messages) {
    try {
      results.push(...(await runBatch(options, [message])));
    } catch (error) {
      results.push(error instanceof DryRunRollback ? error.results[0]! : { ok: false, error });
    }
  }
  return results;
}

async function runBatch(options: IngestBatchOptions, messages: readonly ReadEmail[]): Promise<IngestResult[]> {
  return options.db.transaction(async (tx) => {
    const claims = await claimMessages(
      tx,
      messages.map(({ message, email, keys }) => ({
        keys,
        facts: {
          mailbox: message.source?.mailbox ?? null,
          uidValidity: message.source?.uidValidity ?? null,
          uid: message.source?.uid ?? null,
          size: message.declaredSize ?? message.raw.length,
          fromAddress: email?.from ? normaliseEmail(email.from.address) : null,
          fromName: email?.from?.name ?? null,
          subject: email?.subject ?? null,
        },
      })),
    );
    const classified = messages.map((m) => (m.email ? classificationOf(m.email, options.config) : null));
    const batch = new IntakeBatch(tx, options);
    await batch.lookUp(messages.map((m, i) => (claims[i] ? { email: m.email, classification: classified[i]! } : null)));

    const outcomes: (IntakeOutcome | null)[] = [];
    for (const [i, read] of messages.entries()) {
      const claimed = claims[i];
      if (!claimed) {
        outcomes.push(null);
        continue;
      }
      const outcome = read.email ? await act(batch, options, read, classified[i]!) : recordUnreadable(batch, read, read.unreadable ?? "The message could not be read.");
      batch.complete(claimed, outcome);
      outcomes.push(outcome);
    }
    await batch.flush();

    const results: IngestResult[] = [];
    for (const [i, read] of messages.entries()) {
      results.push({ ok: true, outcome: outcomes[i] ?? (await duplicateOutcome(tx, read)) });
    }
    if (options.dryRun) throw new DryRunRollback(results);
    return results;
  });

  async function duplicateOutcome(tx: Executor, read: ReadEmail): Promise<IntakeOutcome> {
    const before = await processedRecord(tx, read.keys);
    return {
      kind: (before?.classification as IntakeKind | null) ?? "unclassified",
      account: null,
      senderVerified: before?.senderVerified ?? false,
      request: before?.requestId ? await referenceOf(tx, before.requestId) : null,
      reason: `Already processed${before?.processedAt ? ` at ${before.processedAt.toISOString()}` : ""}: a message with the same Message-ID or content.`,
      folder: (before?.folder as IntakeFolder | null) ?? "processed",
      action: "duplicate",
      messageId: read.email?.messageId ?? null,
      from: read.email?.from?.address ?? null,
      authentication: null,
    };
  }
}

interface PendingReply {
  to: string;
  message: OutboundMessage;
  /** A reply to a sender waits for the sender's slot (one an hour); an import's results do not. */
  limited: boolean;
}

/**
 * The batch's transaction and what its messages have decided to write, kept in message order
 * until flush() writes each kind in one statement. Reads the rules need (the sender's account,
 * the quoted request) come from lookups made once for the batch: nothing a message does by email
 * changes an account, and a request missing from the lookup (created by an earlier message of
 * the batch) is read then.
 */
class IntakeBatch {
  private readonly accounts = new Map<string, AccountRow | null>();
  private readonly requests = new Map<number, RequestRow | null>();
  private notes: (typeof requestNotes.$inferInsert & { id: string })[] = [];
  private audits: { actor: Actor; input: AuditInput }[] = [];
  private replies: PendingReply[] = [];
  private claims: { id: string; outcome: ClaimOutcome }[] = [];

  constructor(
    readonly tx: Executor,
    private readonly options: IngestBatchOptions,
  ) {}

  /** The provider accounts of the batch's human senders, and the requests its replies quote, in one query each. */
  async lookUp(messages: ({ email: IncomingEmail | null; classification: Classification | null } | null)[]): Promise<void> {
    const addresses = new Set<string>();
    const numbers = new Set<number>();
    for (const m of messages) {
      if (!m?.email || !m.classification) continue;
      const machine = m.classification.kind === "bounce" || m.classification.kind === "auto_reply";
      if (m.email.from && !machine) addresses.add(normaliseEmail(m.email.from.address));
      if (m.classification.kind === "reply" && m.classification.requestNumber !== undefined && m.classification.queryNumber === undefined) numbers.add(m.classification.requestNumber);
    }
    if (addresses.size > 0) {
      const rows = await this.tx
        .select({ key: sql<string>`lower(${accounts.email})`, account: accounts })
        .from(accounts)
        .where(and(inArray(sql`lower(${accounts.email})`, [...addresses]), eq(accounts.audience, "provider")));
      for (const address of addresses) this.accounts.set(address, rows.find((r) => r.key === address)?.account ?? null);
    }
    if (numbers.size > 0) {
      const rows = await this.tx.select().from(requests).where(inArray(requests.number, [...numbers]));
      for (const number of numbers) this.requests.set(number, rows.find((r) => r.number === number) ?? null);
    }
  }

  async providerAccount(address: string): Promise<AccountRow | null> {
    const key = normaliseEmail(address);
    if (this.accounts.has(key)) return this.accounts.get(key)!;
    const [row] = await this.tx
      .select()
      .from(accounts)
      .where(and(sql`lower(${accounts.email}) = ${key}`, eq(accounts.audience, "provider")))
      .limit(1);
    this.accounts.set(key, row ?? null);
    return row ?? null;
  }

  async request(number: number): Promise<RequestRow | null> {
    const known = this.requests.get(number);
    if (known) return known;
    const [row] = await this.tx.select().from(requests).where(eq(requests.number, number)).limit(1);
    if (row) this.requests.set(number, row);
    return row ?? null;
  }

  audit(actor: Actor, inputs: AuditInput | AuditInput[]): void {
    for (const input of Array.isArray(inputs) ? inputs : [inputs]) this.audits.push({ actor, input });
  }

  /** A kept note on a request (its id is chosen here, so the audit event can name it before it is written). */
  note(values: Omit<typeof requestNotes.$inferInsert, "id">): string {
    const id = randomUUID();
    this.notes.push({ ...values, id });
    return id;
  }

  reply(to: string, message: OutboundMessage, limited = true): void {
    this.replies.push({ to, message, limited });
  }

  complete(id: string, outcome: IntakeOutcome): void {
    this.claims.push({
      id,
      outcome: {
        classification: outcome.kind,
        action: outcome.action,
        folder: outcome.folder,
        reason: outcome.reason,
        senderVerified: outcome.senderVerified,
        authentication: outcome.authentication ? { ...outcome.authentication } : null,
        requestId: outcome.requestId ?? null,
        processedAt: this.options.clock.now(),
      },
    });
  }

  /** Runs a use case that writes on its own, after everything decided before it is written. */
  async direct<T>(run: (tx: Executor) => Promise<T>): Promise<T> {
    await this.flush();
    return run(this.tx);
  }

  /**
   * Writes what is pending, one statement a kind: notes, then the audit events naming them, then
   * the replies — the first to each sender takes the sender's hourly slot, as one after another
   * would — and the messages' outcomes.
   */
  async flush(): Promise<void> {
    const { tx } = this;
    const { clock } = this.options;
    const [notes, audits, replies, claims] = [this.notes, this.audits, this.replies, this.claims];
    this.notes = [];
    this.audits = [];
    this.replies = [];
    this.claims = [];
    if (notes.length > 0) {
      const document = JSON.stringify(notes.map((n) => ({ id: n.id, request_id: n.requestId, author_id: n.authorId ?? null, author_label: n.authorLabel, channel: n.channel, body: n.body, created_at: n.createdAt?.toISOString() })));
      await tx.execute(sql`insert into request_notes (id, request_id, author_id, author_label, channel, body, created_at)
        select r.id, r.request_id, r.author_id, r.author_label, r.channel, r.body, coalesce(r.created_at, now())
        from json_to_recordset(${document}::json) as r(id uuid, request_id uuid, author_id uuid, author_label text, channel text, body text, created_at timestamptz)`);
    }
    await recordAuditEntries(tx, clock, audits);
    const limited = replies.filter((r) => r.limited).map((r) => r.to);
    const slots = await takeReplySlots(tx, limited, clock.now());
    const answered = new Set<string>();
    const outbox = replies.filter((r) => {
      if (!r.limited) return true;
      if (!slots.has(r.to) || answered.has(r.to)) return false;
      answered.add(r.to);
      return true;
    });
    await enqueueMessages(tx, outbox.map((r) => r.message));
    await completeClaims(tx, claims);
  }
}

async function referenceOf(tx: Executor, requestId: string): Promise<string | null> {
  const [row] = await tx.select({ number: requests.number }).from(requests).where(eq(requests.id, requestId));
  return row ? formatReference(row.number) : null;
}

const intakeActor = (label = "Email intake"): Actor => ({ accountId: null, label, channel: "email" });

function recordUnreadable(batch: IntakeBatch, read: ReadEmail, reason: string): IntakeOutcome {
  const source = read.message.source;
  batch.audit(intakeActor(), {
    action: "email.needs_attention",
    detail: { kind: "unclassified", reason, size: read.message.declaredSize ?? read.message.raw.length, ...(source ? { source } : {}) },
  });
  return { kind: "unclassified", account: null, senderVerified: false, request: null, reason, folder: "needs_attention", action: "needs_attention", messageId: null, from: null, authentication: null };
}

async function act(batch: IntakeBatch, options: IngestBatchOptions, read: ReadEmail, classification: Classification): Promise<IntakeOutcome> {
  const { config } = options;
  const email = read.email!;
  const source = read.message.source;
  const from = email.from ? normaliseEmail(email.from.address) : null;
  const authHeaders = email.headers.filter((h) => h.name === "authentication-results").map((h) => h.value);
  const authentication = senderAuthentication(authHeaders, { authservId: options.settings.authservId, fromAddress: from });
  // Machine mail (bounces, auto-replies) is never linked to anyone: no need to look the sender up.
  const machine = classification.kind === "bounce" || classification.kind === "auto_reply";
  const claimedAccount = from && !machine ? await batch.providerAccount(from) : null;
  // UAP-A.8: the From address links to the account whose address it is. An authenticated sender
  // acts as that account; an unauthenticated one only gets a request queued in its name (with
  // the warning staff must clear before approving) — never a note, an import or anything else.
  const queuedUnverified = !authentication.verified && claimedAccount !== null && isQueuedRequestKind(classification.kind);
  const account = authentication.verified || queuedUnverified ? claimedAccount : null;
  const actor: Actor = account
    ? { accountId: account.id, label: authentication.verified ? account.fullName : `${account.fullName} (email sender not verified)`, channel: "email" }
    : intakeActor(email.from?.name || from || "Unknown sender");

  const evidence = {
    messageId: email.messageId,
    contentHash: email.contentHash,
    from,
    displayName: email.from?.name ?? null,
    subject: email.subject,
    kind: classification.kind,
    classificationReason: classification.reason,
    authentication,
    claimedAccountId: claimedAccount?.id ?? null,
    attachments: email.attachments.map((a) => ({ filename: a.filename, contentType: a.contentType, size: a.size })),
    ...(source ? { source } : {}),
  };
  const base = { kind: classification.kind, account: account?.email ?? null, senderVerified: authentication.verified, messageId: email.messageId, from, authentication };

  const outcome = (action: IntakeOutcome["action"], folder: IntakeFolder, reason: string, request: string | null = null, requestId: string | null = null): IntakeOutcome => ({
    ...base,
    action,
    folder,
    reason,
    request,
    requestId,
  });

  /** Staff take it from here: audited, filed in Needs attention, and (when worth it) the sender told why. */
  const needsAttention = async (reason: string, answer: string | null, audit: Partial<AuditInput> = {}): Promise<IntakeOutcome> => {
    batch.audit(actor, { action: "email.needs_attention", ...audit, organisationId: audit.organisationId ?? account?.organisationId ?? null, detail: { ...evidence, reason } });
    if (answer && from) reply(batch, options, email, from, answer);
    return outcome("needs_attention", "needs_attention", reason);
  };

  switch (classification.kind) {
    case "bounce":
      return recordBounce(batch, options, classification, evidence, outcome);
    case "auto_reply":
      batch.audit(intakeActor(), { action: "email.ignored", detail: { ...evidence, reason: classification.reason } });
      return outcome("ignored", "processed", `${classification.reason} Recorded and not answered.`);
    default:
      break;
  }

  if (!from) return needsAttention("The message has no readable From address.", null);
  if (!authentication.verified && !queuedUnverified) {
    const reason = `The sender could not be verified: ${authentication.reason}${claimedAccount ? " The From address is an account's, but without authentication it does not count as that account's own (UAP-A.8)." : ""}`;
    return needsAttention(reason, claimedAccount && isRequestKind(classification.kind) ? unverifiedAnswer(config) : null);
  }

  switch (classification.kind) {
    case "reply":
      if (classification.queryNumber !== undefined) return addQueryReply(batch, options, email, classification.queryNumber, authentication, actor, evidence, outcome, needsAttention);
      return addReplyNote(batch, options, email, classification, account, actor, evidence, outcome, needsAttention);
    case "reinstatement": {
      if (!account) return needsAttention(`No provider account has the address ${from}.`, noAccountAnswer(config, from));
      return submit(batch, options, email, authentication, actor, account, { type: "reinstatement", organisationId: account.organisationId, subjectAccountId: account.id, reason: requestText(email) }, evidence, outcome, needsAttention);
    }
    case "leaver": {
      if (!account) return needsAttention(`No provider account has the address ${from}.`, noAccountAnswer(config, from));
      const subject = await namedAccount(batch.tx, email, account);
      if (!subject) return needsAttention("The notice names no user of the sender's organisation by email address.", "Please write again giving the email address of the person who is leaving.");
      return submit(
        batch,
        options,
        email,
        authentication,
        actor,
        account,
        { type: "suspension", organisationId: account.organisationId, subjectAccountId: subject.id, reason: leaverReason(email), reasonDetail: requestText(email) },
        evidence,
        outcome,
        needsAttention,
      );
    }
    case "lead_change": {
      if (!account) return needsAttention(`${from} has no account: staff take the new Lead correspondent's details by telephone (UAP-A.3).`, null);
      // The outgoing Lead names the incoming one by address; otherwise the sender is the incoming Lead.
      const named = await namedAccount(batch.tx, email, account);
      const incoming = named ?? account;
      return submit(
        batch,
        options,
        email,
        authentication,
        actor,
        account,
        {
          type: "lead_change",
          organisationId: account.organisationId,
          newLead: "existing",
          newLeadAccountId: incoming.id,
          outgoingLead: "suspend",
          reason: `By email (the outgoing Lead's account is to be confirmed with both Leads, UAP-A.3): ${requestText(email)}`.slice(0, 2000),
        },
        evidence,
        outcome,
        needsAttention,
      );
    }
    case "bulk": {
      if (!account) return needsAttention(`No provider account has the address ${from}.`, noAccountAnswer(config, from));
      return importSpreadsheet(batch, options, email, account, actor, evidence, outcome, needsAttention);
    }
    default:
      return needsAttention(classification.reason, "We have received your email. Our team will read it and reply if anything is needed.");
  }
}

/** The kinds that become a request even from an unverified sender, held for staff to confirm it (UAP-A.8). */
function isQueuedRequestKind(kind: IntakeKind): boolean {
  return kind === "reinstatement" || kind === "leaver" || kind === "lead_change";
}

function isRequestKind(kind: IntakeKind): boolean {
  return kind === "reinstatement" || kind === "leaver" || kind === "lead_change" || kind === "reply" || kind === "bulk";
}

/** The sender's own words, for the request's reason (capped at the schema's limit). */
function requestText(email: IncomingEmail): string {
  const words = ownWords(email.text).replace(/\n{3,}/g, "\n\n");
  return `${email.subject}${words ? `\n\n${words}` : ""}`.slice(0, 2000);
}

/** An account of the sender's organisation whose address the message names (not the sender's). */
async function namedAccount(tx: Executor, email: IncomingEmail, sender: AccountRow): Promise<AccountRow | null> {
  const addresses = mentionedAddresses(email).filter((a) => a !== normaliseEmail(sender.email));
  if (addresses.length === 0 || !sender.organisationId) return null;
  const rows = await tx
    .select()
    .from(accounts)
    .where(and(inArray(sql`lower(${accounts.email})`, addresses), eq(accounts.organisationId, sender.organisationId), eq(accounts.audience, "provider")));
  return addresses.map((a) => rows.find((r) => normaliseEmail(r.email) === a)).find((r): r is AccountRow => !!r) ?? null;
}

type OutcomeFor = (action: IntakeOutcome["action"], folder: IntakeFolder, reason: string, request?: string | null, requestId?: string | null) => IntakeOutcome;
type NeedsAttention = (reason: string, answer: string | null, audit?: Partial<AuditInput>) => Promise<IntakeOutcome>;

/** The request through the very use case the web form calls; a refusal goes to staff and its reason to the sender. */
async function submit(
  batch: IntakeBatch,
  options: IngestBatchOptions,
  email: IncomingEmail,
  authentication: SenderAuthentication,
  actor: Actor,
  account: AccountRow,
  input: Record<string, unknown>,
  evidence: Record<string, unknown>,
  outcome: OutcomeFor,
  needsAttention: NeedsAttention,
): Promise<IntakeOutcome> {
  try {
    const submitted = await batch.direct((tx) =>
      submitRequest({
        db: tx,
        actor,
        clock: options.clock,
        config: options.config,
        input,
        sender: { email: email.from!.address, displayName: email.from!.name, authenticated: authentication.verified, authentication: authenticationEvidence(authentication), messageId: email.messageId },
      }),
    );
    batch.audit(actor, {
      action: "email.request_created",
      organisationId: account.organisationId,
      subjectAccountId: account.id,
      requestId: submitted.requestId,
      detail: { ...evidence, reference: submitted.reference },
    });
    const warning = authentication.verified
      ? ""
      : ` The sender could not be verified (${authentication.reason}), so staff must confirm the sender before approving it (UAP-A.8).`;
    return outcome("request_submitted", "processed", `${String(evidence.classificationReason)} ${submitted.reference} was created.${warning}`, submitted.reference, submitted.requestId);
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    const detail = Object.values(error.fieldErrors)[0] ?? error.userMessage;
    const result = await needsAttention(`The request was refused: ${detail}`, `We could not accept your request: ${detail}`);
    return { ...result, action: "refused" };
  }
}

/**
 * UCP-BULK-1 by email: the spreadsheet an authenticated Lead correspondent (or other authoriser)
 * attached goes through the same importer as the web's upload — every row checked with the single
 * form's rules, the valid ones made into new-user requests in one transaction — and the results,
 * row by row, are emailed back. A file that cannot be read, or a sender who may not ask for new
 * users, goes to staff, and the sender is told why.
 */
async function importSpreadsheet(
  batch: IntakeBatch,
  options: IngestBatchOptions,
  email: IncomingEmail,
  account: AccountRow,
  actor: Actor,
  evidence: Record<string, unknown>,
  outcome: OutcomeFor,
  needsAttention: NeedsAttention,
): Promise<IntakeOutcome> {
  const sheets = email.attachments.filter(isSpreadsheet);
  if (sheets.length !== 1) {
    return needsAttention(`${sheets.length} spreadsheets are attached: the importer takes one file at a time.`, "Please send one spreadsheet per email, so each can be imported and answered on its own.");
  }
  const sheet = sheets[0]!;
  const fileName = sheet.filename ?? "attachment";
  let result: ImportResult;
  try {
    const file = await readImportFile({ bytes: sheet.content, fileName });
    if (!account.organisationId) throw new AppError("forbidden", "sender has no organisation", "Only a provider organisation's Lead correspondent can ask for new users.");
    result = await batch.direct((tx) => importUsers({ db: tx, actor, clock: options.clock, config: options.config, organisationId: account.organisationId, rows: file.rows, dryRun: false, source: { fileName, format: file.format } }));
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    const detail = Object.values(error.fieldErrors)[0] ?? error.userMessage;
    const refused = await needsAttention(`The spreadsheet ${fileName} was not imported: ${detail}`, `We could not import ${fileName}: ${detail}`);
    return { ...refused, action: "refused" };
  }
  const errors = result.rows.filter((r) => r.status === "error");
  const lines = [
    `We read ${result.summary.rows} ${result.summary.rows === 1 ? "row" : "rows"} from ${fileName}.`,
    "",
    result.references.length > 0 ? `${result.references.length} became new-user requests (you will also receive their acknowledgement):` : "None became a request.",
    ...result.rows.filter((r) => r.reference).map((r) => `  Row ${r.row}: ${r.reference} – ${r.fullName ?? r.email ?? ""}`),
    ...(errors.length > 0
      ? ["", `${errors.length} ${errors.length === 1 ? "row was" : "rows were"} not accepted. Correct ${errors.length === 1 ? "it" : "them"} and send only ${errors.length === 1 ? "that row" : "those rows"} again:`, ...errors.map((r) => `  Row ${r.row}${r.email ? ` (${r.email})` : ""}: ${r.errors.map((e) => (e.column ? `${e.column}: ${e.message}` : e.message)).join("; ")}`)]
      : []),
  ];
  // The results are the answer to a request, so they are sent whatever the one-reply-an-hour limit says.
  batch.reply(normaliseEmail(account.email), intakeReplyMessage(options.config, { to: normaliseEmail(account.email), subject: email.subject, text: lines.join("\n"), requestId: null, key: `intake-import:${email.contentHash}` }), false);
  batch.audit(actor, {
    action: "email.bulk_imported",
    organisationId: account.organisationId,
    detail: { ...evidence, fileName, batchId: result.batchId, rows: result.summary.rows, references: result.references, errorRows: errors.map((r) => r.row) },
  });
  const reason = `${String(evidence.classificationReason)} ${result.references.length} of ${result.summary.rows} rows became requests${errors.length ? `; ${errors.length} refused` : ""}; the results were emailed back.`;
  const only = result.references.length === 1 ? result.rows.find((r) => r.reference) : undefined;
  return outcome("bulk_imported", "processed", reason, only?.reference ?? null, only?.requestId ?? null);
}

/** A reply quoting a reference becomes a kept note on that request (AUP-5.2e) when it comes from someone the request concerns. */
async function addReplyNote(
  batch: IntakeBatch,
  options: IngestBatchOptions,
  email: IncomingEmail,
  classification: Classification,
  account: AccountRow | null,
  actor: Actor,
  evidence: Record<string, unknown>,
  outcome: OutcomeFor,
  needsAttention: NeedsAttention,
): Promise<IntakeOutcome> {
  const reference = formatReference(classification.requestNumber!);
  const request = await batch.request(classification.requestNumber!);
  if (!request) return needsAttention(`No request has the reference ${reference}.`, `We could not find a request with the reference ${reference}. Please check it and write again.`);
  const from = normaliseEmail(email.from!.address);
  const payload = readPayload(request.payload);
  const concerned = payload.requester?.email === from || (account !== null && (account.id === request.subjectAccountId || account.organisationId === request.organisationId));
  if (!concerned) return needsAttention(`${from} is neither the requester of ${reference} nor a user of its organisation.`, null, { requestId: request.id, organisationId: request.organisationId });
  // The same record addRequestNote keeps for staff; the author here is the emailing person, not staff.
  const body = [`Email from ${email.from!.name ? `${email.from!.name} <${from}>` : from} (sender authenticated): ${email.subject}`, "", ownWords(email.text)].join("\n").slice(0, 5000);
  const noteId = batch.note({ requestId: request.id, authorId: account?.id ?? null, authorLabel: actor.label, channel: "email", body, createdAt: options.clock.now() });
  batch.audit(actor, [
    { action: "request.note_added", organisationId: request.organisationId, subjectAccountId: request.subjectAccountId, requestId: request.id, detail: { reference, noteId, body } },
    { action: "email.note_added", organisationId: request.organisationId, requestId: request.id, detail: { ...evidence, reference, noteId } },
  ]);
  reply(batch, options, email, from, `Your message has been added to ${reference}. Our team will read it.`, request.id);
  return outcome("note_added", "processed", `${classification.reason} Added to it as a note.`, reference, request.id);
}

const queryRefusals: Record<QueryReplyRefusal, string> = {
  no_reference: "It names no query.",
  unknown_query: "No query has that reference.",
  unauthenticated: "The sender could not be verified, so the message was not added to the query (UAP-A.8).",
  not_allowed: "The sender has no active account that may write in that query.",
  empty: "Once quoted history is removed, the email has no text of its own to add.",
  too_long: "The message is over the 10,000 characters a query message may have.",
  no_portal_address: "A staff reply by email needs the portal's address (PORTAL_URL) for its sign-in link, and the intake was run without it.",
};

/**
 * AUP-2.1d: a reply quoting a query reference is appended to that thread — by the same rule as
 * the web (lib/queries/reply-by-email.ts), inside this message's transaction, with the sender's
 * own words only. A refusal writes nothing in the thread and goes to staff with its reason.
 */
async function addQueryReply(
  batch: IntakeBatch,
  options: IngestBatchOptions,
  email: IncomingEmail,
  number: number,
  authentication: SenderAuthentication,
  actor: Actor,
  evidence: Record<string, unknown>,
  outcome: OutcomeFor,
  needsAttention: NeedsAttention,
): Promise<IntakeOutcome> {
  const reference = queryReference(number);
  const result = await batch.direct((tx) =>
    appendQueryReplyFromEmail(tx, {
      clock: options.clock,
      config: options.config,
      baseUrl: options.baseUrl ?? null,
      number,
      from: email.from!.address,
      senderAuthenticated: authentication.verified,
      body: ownWords(email.text),
    }),
  );
  if (!result.ok) {
    const answer =
      result.reason === "unknown_query"
        ? `We could not find a query with the reference ${reference}. Please check it and write again.`
        : result.reason === "too_long"
          ? `Your message is too long to add to ${reference}: please keep it under 10,000 characters, or sign in to the portal.`
          : null;
    return needsAttention(`${reference}: ${queryRefusals[result.reason]}`, answer);
  }
  batch.audit(actor, { action: "email.query_replied", detail: { ...evidence, reference, queryId: result.queryId, queryMessageId: result.messageId } });
  return outcome("query_replied", "processed", `It quotes the query reference ${reference}. Added to the thread as a ${result.side === "operator" ? "staff" : "provider"} message.`);
}

/** A delivery report marks the message of ours it returns as dead, so staff see it was never delivered. */
async function recordBounce(batch: IntakeBatch, options: IngestBatchOptions, classification: Classification, evidence: Record<string, unknown>, outcome: OutcomeFor): Promise<IntakeOutcome> {
  const ids = classification.bouncedMessageIds ?? [];
  const candidates = ids.flatMap((id) => [id, `<${id}>`]);
  const marked =
    candidates.length === 0
      ? []
      : await batch.direct((tx) =>
          tx
            .update(outboundMessages)
            .set({ status: "dead", lastError: `Bounced: ${(classification.failedRecipients ?? []).join(", ") || "undeliverable"}`, updatedAt: options.clock.now() })
            .where(and(inArray(outboundMessages.providerMessageId, candidates), inArray(outboundMessages.status, ["sent", "sending", "pending", "failed"])))
            .returning({ id: outboundMessages.id, requestId: outboundMessages.requestId }),
        );
  batch.audit(intakeActor(), {
    action: "email.bounce_recorded",
    requestId: marked[0]?.requestId ?? null,
    detail: { ...evidence, reason: classification.reason, returnedMessageIds: ids, failedRecipients: classification.failedRecipients ?? [], outboundMarkedDead: marked.map((m) => m.id) },
  });
  const what = marked.length > 0 ? `${marked.length} outbound message(s) marked as undelivered.` : "No outbound message of ours matched it.";
  return outcome("bounce_recorded", "processed", `${classification.reason} ${what}`);
}

/** A reply of ours, at most one per sender per hour, never to ourselves. */
function reply(batch: IntakeBatch, options: IngestBatchOptions, email: IncomingEmail, to: string, text: string, requestId: string | null = null): void {
  if (to === normaliseEmail(options.config.operator.mailbox)) return;
  batch.reply(to, intakeReplyMessage(options.config, { to, subject: email.subject, text, requestId, key: `intake-reply:${email.contentHash}` }));
}

function unverifiedAnswer(config: PortalConfig): string {
  return `We received an email from this address that our mail server could not verify as really sent by it, so we have not acted on it. If you sent it, please contact ${config.operator.teamName} on ${config.operator.telephone ?? config.operator.mailbox}. If you did not, you need do nothing.`;
}

function noAccountAnswer(config: PortalConfig, from: string): string {
  return `No portal account uses the address ${from}, so we could not act on your email. Requests must come from the address linked to the account. Contact ${config.operator.teamName} if you need help.`;
}

/** The authentication verdict as the request keeps it for staff (lib/requests/schema.ts). */
function authenticationEvidence(authentication: SenderAuthentication): SenderAuthenticationEvidence {
  return { verified: authentication.verified, authservId: authentication.authservId, spf: authentication.spf, dkim: authentication.dkim, dmarc: authentication.dmarc, reason: authentication.reason };
}
