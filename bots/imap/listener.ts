import { ImapFlow } from "imapflow";
import type { Clock } from "../../lib/clock";
import type { PortalConfig } from "../../lib/config";
import type { Executor } from "../../lib/db/types";
import { inlineEmailReader, type EmailReader } from "../../lib/intake/email-reader";
import { ingestReadEmails, type IntakeMessage, type IntakeOutcome, type ReadEmail } from "../../lib/intake/ingest-email";
import { checkpointKey, readCheckpoint, writeCheckpoint } from "../../lib/intake/records";
import { DEFAULT_BATCH_MESSAGES, type ImapSettings } from "./settings";

export type IntakeLogLevel = "info" | "warn" | "error";
export type IntakeLog = (level: IntakeLogLevel, event: string, fields?: Record<string, unknown>) => void;

/** One JSON object a line on stderr, like the rest of the server's logs (never a body). */
export const stderrIntakeLog: IntakeLog = (level, event, fields = {}) => {
  process.stderr.write(`${JSON.stringify({ level, source: "imap", event, ...fields })}\n`);
};
export const silentIntakeLog: IntakeLog = () => undefined;

export interface ImapListenerDeps {
  db: Executor;
  clock: Clock;
  config: PortalConfig;
  settings: ImapSettings;
  /** The portal's public address (PORTAL_URL), for the sign-in link when staff answer a query by email. */
  baseUrl?: string | null;
  log?: IntakeLog;
  /**
   * Parses the fetched chunks: inline by default; emailReaderThread() parses on a worker thread
   * while this one ingests the chunk before (the caller starts and closes it).
   */
  reader?: EmailReader;
  /** Called after each message's outcome is committed and before it is moved (tests stop here). */
  onProcessed?: (outcome: IntakeOutcome, uid: number) => void | Promise<void>;
}

export interface PollReport {
  uidValidity: string;
  seen: number;
  processed: IntakeOutcome[];
  /** Messages that failed midway: left in the mailbox, retried on the next pass. */
  failed: { uid: number; error: string }[];
}

export function createImapClient(settings: ImapSettings, options: { autoIdleDelayMs?: number } = {}): ImapFlow {
  return new ImapFlow({
    // IDLE starts this long after the last command (imapflow's default, 15 s, delays new mail).
    ...(options.autoIdleDelayMs ? { autoIdleDelay: options.autoIdleDelayMs } : {}),
    host: settings.host,
    port: settings.port ?? (settings.secure ? 993 : 143),
    secure: settings.secure,
    auth: { user: settings.user, pass: settings.password },
    logger: false,
    // The STARTTLS upgrade is tried when offered; loopback test servers have no TLS.
    tls: { rejectUnauthorized: settings.secure },
  });
}

async function ensureFolder(client: ImapFlow, path: string): Promise<void> {
  const list = await client.list();
  if (list.some((m) => m.path === path)) return;
  await client.mailboxCreate(path);
}

/**
 * One pass over the mailbox: every message still in it is ingested (a committed outcome first,
 * then the move to Processed or Needs-attention), oldest first. A message that fails midway stays
 * where it is and is retried by the next pass; one whose outcome committed but whose move was
 * lost is recognised by its Message-ID and content hash and only moved. UIDVALIDITY and the last
 * UID handled are checkpointed in the database.
 */
export async function pollMailbox(client: ImapFlow, deps: ImapListenerDeps): Promise<PollReport> {
  const { settings } = deps;
  const log = deps.log ?? stderrIntakeLog;
  const lock = await client.getMailboxLock(settings.mailbox);
  try {
    const mailbox = client.mailbox;
    const uidValidity = mailbox ? String(mailbox.uidValidity) : "0";
    const key = checkpointKey(`${settings.user}@${settings.host}`, settings.mailbox);
    const checkpoint = await readCheckpoint(deps.db, key);
    let lastUid = checkpoint?.uidValidity === uidValidity ? checkpoint.lastUid : 0;
    if (checkpoint && checkpoint.uidValidity !== uidValidity) log("warn", "imap.uidvalidity_changed", { before: checkpoint.uidValidity, now: uidValidity });

    const report: PollReport = { uidValidity, seen: 0, processed: [], failed: [] };
    if (!mailbox || mailbox.exists === 0) return report;
    const listed = await client.fetchAll("1:*", { uid: true, size: true });
    const messages = listed.map((m) => ({ uid: m.uid, size: m.size ?? 0 })).sort((a, b) => a.uid - b.uid);
    report.seen = messages.length;

    // Round trips, not parsing, are what an IMAP pass spends its time on: messages are fetched
    // a chunk at a time (one UID FETCH), the chunk is ingested as one batch (one transaction,
    // each kind of write one statement: lib/intake/ingest-email.ts), its handled messages are
    // moved with one UID MOVE per folder and checkpointed once. The next chunk is fetched and
    // parsed while the database works on this one. A crash between the batch's commit and its
    // move only leaves the messages in the inbox, where the next pass recognises them
    // (duplicates) and moves them.
    const intakeSettings = { authservId: settings.authservId, maxBytes: settings.maxMessageBytes };
    const reader = deps.reader ?? inlineEmailReader;
    const batches = chunks(messages, settings.maxMessageBytes, settings.batchMessages ?? DEFAULT_BATCH_MESSAGES);
    const load = async (chunk: typeof messages): Promise<Loaded> => {
      const sources = new Map<number, Buffer>();
      const fetchSet = async (list: typeof chunk, query: { source?: true; headers?: true }) => {
        if (list.length === 0) return;
        for (const fetched of await client.fetchAll(list.map((m) => m.uid).join(","), { uid: true, ...query }, { uid: true })) {
          const raw = query.source ? fetched.source : fetched.headers;
          if (raw) sources.set(fetched.uid, raw);
        }
      };
      try {
        await fetchSet(
          chunk.filter((m) => m.size <= settings.maxMessageBytes),
          { source: true },
        );
        await fetchSet(
          chunk.filter((m) => m.size > settings.maxMessageBytes),
          { headers: true },
        );
      } catch (error) {
        return { chunk, fetchError: describe(error), read: [], failed: [] };
      }
      const read: { uid: number; email: ReadEmail }[] = [];
      const failed: { uid: number; error: string }[] = [];
      const present = chunk.filter((message) => sources.has(message.uid)); // the rest were expunged meanwhile
      const intakes = present.map(
        (message): IntakeMessage => ({ raw: sources.get(message.uid)!, source: { mailbox: settings.mailbox, uidValidity, uid: message.uid }, ...(message.size > settings.maxMessageBytes ? { declaredSize: message.size } : {}) }),
      );
      for (const [i, outcome] of (await reader.readAll(intakes, intakeSettings)).entries()) {
        const uid = present[i]!.uid;
        if (outcome.ok) read.push({ uid, email: outcome.read });
        else failed.push({ uid, error: describe(outcome.error) });
      }
      return { chunk, fetchError: null, read, failed };
    };

    const moveAll = async (moves: Map<string, number[]>): Promise<{ uids: number[]; error: string | null }> => {
      try {
        for (const [folder, uids] of moves) await client.messageMove(uids.join(","), folder, { uid: true });
        return { uids: [...moves.values()].flat(), error: null };
      } catch (error) {
        return { uids: [], error: error instanceof Error ? error.message : String(error) };
      }
    };
    let moving: ReturnType<typeof moveAll> | null = null;
    /** Waits for the last chunk's moves and checkpoints them; false when the connection is gone. */
    const settleMoves = async (): Promise<boolean> => {
      if (!moving) return client.usable;
      const moved = await moving;
      moving = null;
      // Committed but not moved: the next pass finds them in the inbox and only moves them.
      if (moved.error !== null) log("error", "imap.move_failed", { error: moved.error });
      const highest = Math.max(lastUid, ...moved.uids);
      if (highest > lastUid) {
        lastUid = highest;
        await writeCheckpoint(deps.db, key, { uidValidity, lastUid }, deps.clock.now());
      }
      return client.usable;
    };

    let next: Promise<Loaded> | null = batches.length > 0 ? load(batches[0]!) : null;
    for (let b = 0; next; b++) {
      const loaded = await next;
      next = b + 1 < batches.length && client.usable ? load(batches[b + 1]!) : null;
      if (loaded.fetchError !== null) {
        for (const message of loaded.chunk) report.failed.push({ uid: message.uid, error: loaded.fetchError });
        log("error", "imap.fetch_failed", { uids: loaded.chunk.map((m) => m.uid), error: loaded.fetchError });
        if (!client.usable) break;
        continue;
      }
      for (const failure of loaded.failed) {
        report.failed.push(failure);
        log("error", "imap.message_failed", failure);
      }
      const results = await ingestReadEmails(
        { db: deps.db, clock: deps.clock, config: deps.config, baseUrl: deps.baseUrl ?? null, settings: intakeSettings },
        loaded.read.map((r) => r.email),
      );
      const moves = new Map<string, number[]>();
      for (const [i, result] of results.entries()) {
        const uid = loaded.read[i]!.uid;
        try {
          if (!result.ok) throw result.error;
          const outcome = result.outcome;
          await deps.onProcessed?.(outcome, uid);
          const folder = outcome.folder === "processed" ? settings.processedFolder : settings.attentionFolder;
          moves.set(folder, [...(moves.get(folder) ?? []), uid]);
          report.processed.push(outcome);
          log("info", "imap.message_processed", { uid, kind: outcome.kind, action: outcome.action, request: outcome.request, folder });
        } catch (error) {
          const text = describe(error);
          report.failed.push({ uid, error: text });
          log("error", "imap.message_failed", { uid, error: text });
        }
      }
      // This chunk's moves run on the IMAP connection while the next chunk is ingested; the
      // checkpoint follows each chunk's moves.
      if (!(await settleMoves())) break;
      moving = moveAll(moves);
    }
    await settleMoves();
    // A read-ahead started before the connection was lost is not waited for: its failure is not an error of this pass.
    void next?.catch(() => undefined);
    return report;
  } finally {
    lock.release();
  }
}

/** A chunk fetched and read, ready to be ingested (or why it could not be fetched). */
interface Loaded {
  chunk: { uid: number; size: number }[];
  fetchError: string | null;
  read: { uid: number; email: ReadEmail }[];
  failed: { uid: number; error: string }[];
}

const describe = (error: unknown) => (error instanceof Error ? `${error.name}: ${error.message}` : String(error));

/** At most this many bytes of messages are fetched (and ingested in one transaction) at once. */
const CHUNK_BYTES = 8 * 1024 * 1024;

/** Splits the listing into batches; an oversize message (only its headers are fetched) costs little. */
export function chunks<T extends { size: number }>(messages: T[], maxMessageBytes: number, batchMessages: number): T[][] {
  const out: T[][] = [];
  let current: T[] = [];
  let bytes = 0;
  for (const message of messages) {
    const cost = message.size > maxMessageBytes ? 0 : message.size;
    if (current.length > 0 && (current.length >= batchMessages || bytes + cost > CHUNK_BYTES)) {
      out.push(current);
      current = [];
      bytes = 0;
    }
    current.push(message);
    bytes += cost;
  }
  if (current.length > 0) out.push(current);
  return out;
}

async function prepare(client: ImapFlow, settings: ImapSettings): Promise<void> {
  await client.connect();
  await ensureFolder(client, settings.processedFolder);
  await ensureFolder(client, settings.attentionFolder);
}

/** A client connected and ready for pollMailbox (its folders made if missing): what the listener holds between passes. */
export async function openImapClient(settings: ImapSettings, log: IntakeLog = stderrIntakeLog): Promise<ImapFlow> {
  const client = createImapClient(settings);
  client.on("error", (error: Error) => log("warn", "imap.client_error", { error: error.message }));
  await prepare(client, settings);
  return client;
}

/** Connects, makes one pass, and logs out: `portal intake run-once`, tests and cron-style use. */
export async function runImapOnce(deps: ImapListenerDeps): Promise<PollReport> {
  const client = await openImapClient(deps.settings, deps.log);
  try {
    return await pollMailbox(client, deps);
  } finally {
    await client.logout().catch(() => client.close());
  }
}

export interface ImapListener {
  /** Makes a pass now (or waits for the one running). */
  poll(): Promise<PollReport | null>;
  stop(): Promise<void>;
}

/** Backoff after a lost connection: 1 s doubling to 5 minutes, with jitter. */
export function reconnectDelay(attempt: number, random = Math.random): number {
  const base = Math.min(300_000, 1000 * 2 ** Math.min(attempt, 9));
  return Math.round(base * (0.75 + random() * 0.5));
}

/**
 * The long-running listener: connects, makes a pass, then waits in IDLE (imapflow idles while
 * a mailbox is open and nothing else runs) and makes another pass whenever new mail arrives.
 * A dropped connection is re-made with backoff; nothing is lost meanwhile, because messages
 * leave the mailbox only after their outcome is committed.
 */
export function startImapListener(deps: ImapListenerDeps): ImapListener {
  const log = deps.log ?? stderrIntakeLog;
  let client: ImapFlow | null = null;
  let stopped = false;
  let attempt = 0;
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<PollReport | null> | null = null;
  let again = false;

  const poll = (): Promise<PollReport | null> => {
    if (stopped || !client?.usable) return Promise.resolve(null);
    if (running) {
      again = true;
      return running;
    }
    const current = client;
    running = (async () => {
      try {
        let report: PollReport | null = null;
        do {
          again = false;
          report = await pollMailbox(current, deps);
        } while (again && !stopped && current.usable);
        return report;
      } catch (error) {
        log("error", "imap.poll_failed", { error: error instanceof Error ? error.message : String(error) });
        return null;
      } finally {
        running = null;
      }
    })();
    return running;
  };

  const schedule = () => {
    if (stopped) return;
    const delay = reconnectDelay(attempt++);
    log("warn", "imap.reconnect_scheduled", { inMs: delay, attempt });
    timer = setTimeout(() => void connect(), delay);
    timer.unref();
  };

  const connect = async () => {
    if (stopped) return;
    const next = createImapClient(deps.settings, { autoIdleDelayMs: 1000 });
    client = next;
    let lost = false;
    const onLost = () => {
      if (lost || client !== next || stopped) return;
      lost = true;
      schedule();
    };
    next.on("error", (error: Error) => log("warn", "imap.client_error", { error: error.message }));
    next.on("exists", () => void poll());
    next.on("close", onLost);
    try {
      await prepare(next, deps.settings);
      await next.mailboxOpen(deps.settings.mailbox);
      attempt = 0;
      log("info", "imap.connected", { host: deps.settings.host, mailbox: deps.settings.mailbox });
      await poll();
    } catch (error) {
      log("error", "imap.connect_failed", { error: error instanceof Error ? error.message : String(error) });
      next.close();
      onLost();
    }
  };

  void connect();
  return {
    poll,
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running;
      await client?.logout().catch(() => client?.close());
    },
  };
}
