/**
 * bench/queue — the back office and the audit log on a large portal (issue 4).
 *
 *   npm run build && npx tsx bench/queue.ts [--scale 1] [--rounds 40] [--json] [--keep]
 *   npx tsx bench/queue.ts --verify-only [--scale 1] [--json]   (no build needed: only `portal audit verify`)
 *
 * It starts a throwaway PostgreSQL 15 (as the integration tests do), migrates it, seeds the
 * demo and bulk-loads (at scale 1) 1,000 organisations, 100,000 accounts, 50,000 requests and
 * 1,000,000 hash-chained audit events (bench/lib/bulk-data.ts). Then:
 *
 * - Pages: the production build (`next start`) on that database; the demo team lead and the
 *   demo Lead correspondent sign in over HTTP as a browser without JavaScript would, and each
 *   page is fetched `--rounds` times (after warm-up, one request at a time, the pages taken in
 *   turn) — the staff queue, the Lead's "Our users" and audit searches — against GET /account
 *   of the same person as the baseline. Target: each page's median ≤ 3 × the baseline's.
 * - `portal audit verify`: lib/audit's verifyAuditChainInParallel over the whole chain (COPY, one
 *   range per core in worker threads, as the CLI runs it), against plain SHA-256 (node:crypto,
 *   createHash as verification uses) of the very same canonical encodings in this process. Target:
 *   verification ≥ 0.5 × the bare hashing rate. The CLI itself (bin/portal) is timed too. Both
 *   hash the same bytes; verification must also read and encode them, the baseline does not.
 *
 * Prints a table (or one JSON document with --json); exits non-zero on errors only, never on a
 * missed target. The server and PostgreSQL are removed at the end, also on failure or Ctrl-C.
 */
import { spawn } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import os from "node:os";
import { asc, eq, gt } from "drizzle-orm";
import { listOrganisationAccountsPage } from "../lib/accounts/list-organisation-accounts";
import { listStaffAccounts } from "../lib/accounts/list-staff-accounts";
import { syncSecurityRoles } from "../lib/accounts/sync-security-roles";
import { listOrganisationOptions } from "../lib/audit/queries";
import { searchAudit } from "../lib/audit/search-audit";
import { grantsFor } from "../lib/auth/permissions";
import { canonicalEncoding, type ChainVerdict } from "../lib/audit";
import { verifyAuditChainInParallel } from "../lib/audit/verify-parallel";
import { systemClock } from "../lib/clock";
import { getConfig } from "../lib/config";
import { migrateDatabase, openDatabase } from "../lib/db";
import { accounts } from "../lib/db/schema/accounts";
import { auditEvents } from "../lib/db/schema/audit";
import { seedDemo } from "../lib/demo/seed-demo";
import { listProviderOrganisations } from "../lib/organisations/list-organisations";
import { listQueue, type QueueFilters } from "../lib/requests/queries";
import { freePort } from "../tests/support/postgres-server";
import { bulkLoad, type BulkLoadResult } from "./lib/bulk-data";
import { signIn } from "./lib/http";
import { startNextServer, type NextServer } from "./lib/next-server";
import { createDatabase, startPostgresServer, type PostgresServer } from "./lib/postgres";
import { formatTable, median, percentile, round } from "./lib/stats";
import { cleanUp, log, onCleanUp } from "./lib/cleanup";

const args = process.argv.slice(2);
const option = (name: string, fallback: number) => {
  const i = args.indexOf(name);
  const value = i >= 0 ? Number(args[i + 1]) : fallback;
  if (!Number.isFinite(value) || value <= 0) throw new Error(`${name} needs a positive number`);
  return value;
};
const json = args.includes("--json");
/** Keep PostgreSQL and the server running after the run (to EXPLAIN a slow query) until Ctrl-C. */
const keep = args.includes("--keep");
/** Only the `portal audit verify` comparison: no production build, no server, no pages. */
const verifyOnly = args.includes("--verify-only");
const scale = option("--scale", 1);
const rounds = Math.round(option("--rounds", 40));
const warmUp = 5;
const PAGE_TARGET = 3;
const VERIFY_TARGET = 0.5;
const STAFF = "alex.morgan@council.example.org";
const LEAD = "priya.shah@meadowbank-care.example.org";


interface PageSpec {
  name: string;
  path: string;
  who: "staff" | "lead";
  /** Text the full page must contain (so an error page is never timed as a success). */
  marker: string;
  /** The baseline this page is compared with (none for the baselines themselves). */
  baseline?: string;
  /** The page's reads, called in this process with the page's arguments: how much of its time is the database. */
  reads?: () => Promise<unknown>;
}

interface PageResult {
  name: string;
  path: string;
  who: string;
  medianMs: number;
  p95Ms: number;
  bytes: number;
  baseline?: string;
  medianRatio?: number;
  p95Ratio?: number;
  met?: boolean;
  /** Median of the page's reads alone, in this process (see PageSpec.reads). */
  readsMedianMs?: number;
}

async function timePages(base: string, cookies: Record<PageSpec["who"], string>, pages: PageSpec[]): Promise<PageResult[]> {
  const samples = new Map<string, number[]>(pages.map((p) => [p.name, []]));
  const bytes = new Map<string, number>();
  const fetchOnce = async (page: PageSpec): Promise<number> => {
    const started = performance.now();
    const response = await fetch(`${base}${page.path}`, { headers: { cookie: cookies[page.who] }, redirect: "manual" });
    const body = await response.text();
    const elapsed = performance.now() - started;
    if (response.status !== 200) throw new Error(`GET ${page.path} as ${page.who} answered ${response.status} ${response.headers.get("location") ?? ""}`);
    if (!body.includes(page.marker)) throw new Error(`GET ${page.path} as ${page.who} did not show ${page.marker}`);
    bytes.set(page.name, body.length);
    return elapsed;
  };
  for (let r = 0; r < warmUp; r += 1) for (const page of pages) await fetchOnce(page);
  // Pages in turn, so drift (autovacuum, caches, the growing audit log) touches each alike.
  for (let r = 0; r < rounds; r += 1) {
    for (const page of pages) samples.get(page.name)!.push(await fetchOnce(page));
    if ((r + 1) % 10 === 0) log(`  round ${r + 1} of ${rounds}`);
  }
  // The reads alone, the same number of times, with the server idle.
  const reads = new Map<string, number[]>();
  for (let r = 0; r < warmUp + rounds; r += 1) {
    for (const page of pages) {
      if (!page.reads) continue;
      const started = performance.now();
      await page.reads();
      if (r >= warmUp) reads.set(page.name, [...(reads.get(page.name) ?? []), performance.now() - started]);
    }
  }
  const results: PageResult[] = pages.map((page) => {
    const times = samples.get(page.name)!;
    const readTimes = reads.get(page.name);
    return {
      name: page.name,
      path: page.path,
      who: page.who,
      medianMs: median(times),
      p95Ms: percentile(times, 95),
      bytes: bytes.get(page.name) ?? 0,
      baseline: page.baseline,
      ...(readTimes ? { readsMedianMs: round(median(readTimes), 1) } : {}),
    };
  });
  for (const result of results) {
    const baseline = results.find((b) => b.name === result.baseline);
    if (!baseline) continue;
    result.medianRatio = round(result.medianMs / baseline.medianMs, 2);
    result.p95Ratio = round(result.p95Ms / baseline.p95Ms, 2);
    result.met = result.medianRatio <= PAGE_TARGET;
  }
  return results.map((r) => ({ ...r, medianMs: round(r.medianMs, 1), p95Ms: round(r.p95Ms, 1) }));
}

interface VerifyResult {
  events: number;
  /** Plain SHA-256 of the canonical encodings, in process. */
  sha256EventsPerSecond: number;
  /** verifyAuditChainInParallel (lib/audit/verify-parallel.ts, what `portal audit verify` runs) in process, best of two runs. */
  verifyEventsPerSecond: number;
  verifySeconds: number[];
  ratio: number;
  target: number;
  met: boolean;
  /**
   * The same two rates in this process's CPU time (process.cpuUsage, its worker threads
   * included), which a busy machine disturbs less than wall time; PostgreSQL's own work for the
   * reads is not in it.
   */
  cpu: { sha256EventsPerSecond: number; verifyEventsPerSecond: number; ratio: number };
  /** `bin/portal audit verify --json`, wall time including start-up. */
  cli: { seconds: number; eventsPerSecond: number; ok: boolean };
  /**
   * The baseline's own pass: rows read through drizzle and encoded with canonicalEncoding (how
   * the baseline's bytes are made; verification reads COPY's bytes and encodes those instead).
   */
  breakdown: { readMs: number; encodeMs: number; hashMs: number; share: { read: number; encode: number; hash: number } };
}

async function measureVerify(url: string, env: NodeJS.ProcessEnv): Promise<VerifyResult> {
  const handle = await openDatabase({ url, poolSize: 2 });
  try {
    const db = handle.db;
    // The baseline's bytes: every event's canonical encoding, made once here; only hashing them is timed as the baseline.
    let readMs = 0;
    let encodeMs = 0;
    let hashMs = 0;
    let hashCpuMs = 0;
    let events = 0;
    let lastSeq = 0;
    for (;;) {
      let t = performance.now();
      const batch = await db.select().from(auditEvents).where(gt(auditEvents.seq, lastSeq)).orderBy(asc(auditEvents.seq)).limit(5000);
      readMs += performance.now() - t;
      if (batch.length === 0) break;
      t = performance.now();
      // Flat copies: canonicalEncoding builds its text by concatenation (a rope), and hashing a
      // rope first copies it flat inside update() — building work, not hashing, which would slow
      // the baseline by a third or more and flatter the ratio (the figures before 25 November
      // were measured against flat strings, JSON.stringify's and join's).
      const encodings = batch.map(({ hash: _hash, ...fields }) => flat(canonicalEncoding(fields)));
      encodeMs += performance.now() - t;
      t = performance.now();
      const cpuBefore = process.cpuUsage();
      let check = 0;
      for (let i = 0; i < encodings.length; i += 1) {
        const hex = createHash("sha256").update(encodings[i]!).digest("hex");
        if (hex === batch[i]!.hash) check += 1;
      }
      hashMs += performance.now() - t;
      hashCpuMs += cpuMs(process.cpuUsage(cpuBefore));
      if (check !== batch.length) throw new Error(`the audit chain does not hash as loaded near seq ${batch[0]!.seq}`);
      events += batch.length;
      lastSeq = batch[batch.length - 1]!.seq;
    }
    const parts = readMs + encodeMs + hashMs;
    const breakdown = {
      readMs: Math.round(readMs),
      encodeMs: Math.round(encodeMs),
      hashMs: Math.round(hashMs),
      share: { read: round(readMs / parts, 2), encode: round(encodeMs / parts, 2), hash: round(hashMs / parts, 2) },
    };
    log(`  plain SHA-256 of ${events.toLocaleString("en-GB")} canonical encodings: ${Math.round(hashMs)} ms (read ${Math.round(readMs)} ms, encode ${Math.round(encodeMs)} ms)`);

    const verifySeconds: number[] = [];
    const verifyCpuMs: number[] = [];
    for (let run = 0; run < 2; run += 1) {
      const started = performance.now();
      const cpuBefore = process.cpuUsage();
      const verdict: ChainVerdict = await verifyAuditChainInParallel(db);
      verifySeconds.push(round((performance.now() - started) / 1000, 2));
      verifyCpuMs.push(cpuMs(process.cpuUsage(cpuBefore)));
      if (!verdict.ok) throw new Error(`the audit chain does not verify: event ${verdict.firstBad.seq}: ${verdict.firstBad.problem}`);
      if (verdict.events !== events) throw new Error(`verifyAuditChainInParallel saw ${verdict.events} events, the baseline ${events}`);
      log(`  verifyAuditChainInParallel: ${verdict.events.toLocaleString("en-GB")} events in ${verifySeconds.at(-1)} s`);
    }

    const cliStarted = performance.now();
    const cli = await run("bin/portal", ["audit", "verify", "--json"], env);
    const cliSeconds = (performance.now() - cliStarted) / 1000;
    let cliOk = false;
    try {
      const parsed = JSON.parse(cli.stdout) as { ok?: boolean; events?: number };
      cliOk = cli.code === 0 && parsed.ok === true && parsed.events === events;
    } catch {
      cliOk = false;
    }
    if (!cliOk) throw new Error(`portal audit verify --json failed (exit ${cli.code}): ${cli.stdout}${cli.stderr}`);
    log(`  bin/portal audit verify --json: ok in ${round(cliSeconds, 2)} s (with start-up)`);

    const sha256EventsPerSecond = events / (hashMs / 1000);
    const verifyEventsPerSecond = events / Math.min(...verifySeconds);
    const ratio = verifyEventsPerSecond / sha256EventsPerSecond;
    const cpuSha256 = events / (hashCpuMs / 1000);
    const cpuVerify = events / (Math.min(...verifyCpuMs) / 1000);
    return {
      cpu: { sha256EventsPerSecond: Math.round(cpuSha256), verifyEventsPerSecond: Math.round(cpuVerify), ratio: round(cpuVerify / cpuSha256, 3) },
      events,
      sha256EventsPerSecond: Math.round(sha256EventsPerSecond),
      verifyEventsPerSecond: Math.round(verifyEventsPerSecond),
      verifySeconds,
      ratio: round(ratio, 3),
      target: VERIFY_TARGET,
      met: ratio >= VERIFY_TARGET,
      cli: { seconds: round(cliSeconds, 2), eventsPerSecond: Math.round(events / cliSeconds), ok: cliOk },
      breakdown,
    };
  } finally {
    await handle.close();
  }
}

/** The same text as one flat (sequential) string: JSON.parse makes a new one from the quoted copy. */
const flat = (text: string): string => JSON.parse(JSON.stringify(text)) as string;

const cpuMs = (usage: NodeJS.CpuUsage) => (usage.user + usage.system) / 1000;

function run(command: string, argv: string[], env: NodeJS.ProcessEnv): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, argv, { env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (c: string) => (stdout += c));
    child.stderr.setEncoding("utf8").on("data", (c: string) => (stderr += c));
    child.once("error", reject);
    child.once("close", (code) => resolve({ code, stdout, stderr }));
  });
}

async function main(): Promise<void> {
  const startedAt = new Date();
  // Other work on the machine slows heavy pages more than light ones: the load is reported.
  const loadAtStart = round(os.loadavg()[0]!, 1);
  // The default (council) profile, as the README's figures describe; the server gets the same.
  const baseEnv: NodeJS.ProcessEnv = { ...process.env, PORTAL_CONFIG: "", PORTAL_PROFILE: "", RESEND_API_KEY: "" };
  process.env.PORTAL_CONFIG = "";
  process.env.PORTAL_PROFILE = "";
  const config = getConfig();
  const secretsKey = randomBytes(32);

  log(`Starting PostgreSQL (scale ${scale}) …`);
  const postgres: PostgresServer = await startPostgresServer({ log });
  onCleanUp(() => postgres.stop());
  const url = await createDatabase(postgres, "portal_bench");
  const env: NodeJS.ProcessEnv = { ...baseEnv, DATABASE_URL: url, PORTAL_SECRETS_KEY: secretsKey.toString("base64"), NODE_ENV: "production" };

  log("Migrating and seeding the demo …");
  const handle = await openDatabase({ url, poolSize: 2 });
  try {
    await migrateDatabase(handle);
    await syncSecurityRoles(handle.db, config);
    await seedDemo({ db: handle.db, config, clock: systemClock, secretsKey });
  } finally {
    await handle.close();
  }

  log("Bulk loading …");
  const loadStarted = performance.now();
  const data: BulkLoadResult = await bulkLoad({ url, scale, config, now: new Date(), log });
  const loadSeconds = round((performance.now() - loadStarted) / 1000, 1);
  log(`Loaded in ${loadSeconds} s.`);

  log("Audit verification …");
  const verify = await measureVerify(url, env);
  if (verifyOnly) {
    if (keep) log(`Kept running until Ctrl-C: PostgreSQL at ${url}`);
    else await cleanUp();
    const machine = { cores: os.availableParallelism(), cpu: os.cpus()[0]?.model ?? "unknown", loadAverage: { start: loadAtStart, end: round(os.loadavg()[0]!, 1) } };
    const result = { benchmark: "queue --verify-only", date: startedAt.toISOString(), machine, postgres: postgres.version, scale, data: { ...data, loadSeconds }, auditVerify: verify };
    if (json) process.stdout.write(`${JSON.stringify(result)}\n`);
    else {
      process.stdout.write(
        [
          `queue benchmark (audit verify only), ${result.date.slice(0, 10)}, ${machine.cores} cores (${machine.cpu}), PostgreSQL ${result.postgres}, scale ${scale}; load average ${machine.loadAverage.start} at the start, ${machine.loadAverage.end} at the end`,
          `${verify.events.toLocaleString("en-GB")} audit events, loaded in ${loadSeconds} s`,
          verifyTable(verify),
          `verification runs: ${verify.verifySeconds.join(" s, ")} s; the baseline's own pass (rows through drizzle, canonicalEncoding): read ${verify.breakdown.readMs} ms, encode ${verify.breakdown.encodeMs} ms, SHA-256 ${verify.breakdown.hashMs} ms`,
        ].join("\n") + "\n",
      );
    }
    // A timer holds the process (and with it PostgreSQL) open: nothing else is pending now.
    if (keep) await new Promise(() => setInterval(() => undefined, 60_000));
    return;
  }

  log("Starting the production build (next start) …");
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const server: NextServer = await startNextServer({ port, env: { ...env, PORTAL_URL: base }, snapshot: true });
  onCleanUp(() => server.stop());

  log("Signing in (team lead, Lead correspondent) …");
  const cookies = { staff: await signIn(base, STAFF), lead: await signIn(base, LEAD) };
  const reader = await openDatabase({ url, poolSize: 3 });
  onCleanUp(() => reader.close());
  const db = reader.db;
  const clock = systemClock;
  const [staffRow] = await db.select({ id: accounts.id, organisationId: accounts.organisationId }).from(accounts).where(eq(accounts.email, STAFF));
  if (!staffRow) throw new Error(`no account ${STAFF}`);
  const staffViewer = { accountId: staffRow.id, audience: "operator" as const, organisationId: staffRow.organisationId, grants: grantsFor(config, ["team_lead"]) };
  const auditReads = (filters: Parameters<typeof searchAudit>[1]) => () => Promise.all([listOrganisationOptions(db), searchAudit(db, filters)]);
  const queueReads = (filters: QueueFilters, page: number) => () =>
    Promise.all([listQueue({ db, clock, config, viewer: staffViewer, filters, sort: "due", page }), listProviderOrganisations(db), listStaffAccounts(db)]);

  const auditMarker = 'data-testid="audit-total"';
  const staffBaseline = "baseline: GET /account (team lead)";
  const pages: PageSpec[] = [
    { name: staffBaseline, path: "/account", who: "staff", marker: "Your account" },
    { name: "baseline: GET /account (Lead)", path: "/account", who: "lead", marker: "Your account" },
    { name: "staff queue", path: "/staff/requests", who: "staff", marker: 'data-testid="queue"', baseline: staffBaseline, reads: queueReads({ status: "open" }, 1) },
    {
      name: "staff queue, all statuses, page 2",
      path: "/staff/requests?status=all&page=2",
      who: "staff",
      marker: 'data-testid="queue"',
      baseline: staffBaseline,
      reads: queueReads({ status: "all" }, 2),
    },
    {
      name: `our users (${data.meadowbank.accounts} accounts)`,
      path: "/portal/users",
      who: "lead",
      marker: 'data-testid="our-users"',
      baseline: "baseline: GET /account (Lead)",
      reads: () => listOrganisationAccountsPage(db, data.meadowbank.id),
    },
    { name: "audit log, no filter", path: "/staff/audit", who: "staff", marker: auditMarker, baseline: staffBaseline, reads: auditReads({}) },
    {
      name: "audit: organisation",
      path: `/staff/audit?organisation=${data.meadowbank.id}`,
      who: "staff",
      marker: auditMarker,
      baseline: staffBaseline,
      reads: auditReads({ organisationId: data.meadowbank.id }),
    },
    {
      name: "audit: action account.suspended",
      path: "/staff/audit?action=account.suspended",
      who: "staff",
      marker: auditMarker,
      baseline: staffBaseline,
      reads: auditReads({ action: "account.suspended" }),
    },
    { name: "audit: action prefix request.", path: "/staff/audit?action=request.", who: "staff", marker: auditMarker, baseline: staffBaseline, reads: auditReads({ action: "request." }) },
    { name: 'audit: person "priya"', path: "/staff/audit?person=priya", who: "staff", marker: auditMarker, baseline: staffBaseline, reads: auditReads({ person: "priya" }) },
  ];
  log(`Timing ${pages.length} pages, ${warmUp} warm-up and ${rounds} timed rounds …`);
  const pageResults = await timePages(base, cookies, pages);
  const loadDuringPages = round(os.loadavg()[1]!, 1);

  if (!keep) await cleanUp();

  const result = {
    benchmark: "queue",
    date: startedAt.toISOString(),
    machine: {
      cores: os.availableParallelism(),
      cpu: os.cpus()[0]?.model ?? "unknown",
      memoryGiB: round(os.totalmem() / 2 ** 30, 1),
      loadAverage: { start: loadAtStart, pages: loadDuringPages, end: round(os.loadavg()[0]!, 1) },
    },
    postgres: postgres.version,
    buildId: server.buildId,
    scale,
    rounds,
    warmUp,
    data: { ...data, loadSeconds },
    pages: { target: PAGE_TARGET, results: pageResults, allMet: pageResults.every((p) => p.met !== false) },
    auditVerify: verify,
  };
  if (json) process.stdout.write(`${JSON.stringify(result)}\n`);
  else printTable(result);
  if (keep) {
    log(`Kept running until Ctrl-C: PostgreSQL at ${url}, the portal at ${base}`);
    log(`  team lead cookie: ${cookies.staff}`);
    log(`  Lead cookie: ${cookies.lead}`);
    await new Promise(() => undefined);
  }
}

type Result = {
  date: string;
  machine: { cores: number; cpu: string; loadAverage: { start: number; pages: number; end: number } };
  postgres: string;
  scale: number;
  rounds: number;
  warmUp: number;
  data: BulkLoadResult & { loadSeconds: number };
  pages: { results: PageResult[] };
  auditVerify: VerifyResult;
};

function verifyTable(verify: VerifyResult): string {
  return formatTable([
    ["audit chain", "events/s"],
    ["plain SHA-256 of the canonical encodings (baseline)", verify.sha256EventsPerSecond.toLocaleString("en-GB")],
    ["verifyAuditChainInParallel (portal audit verify), in process", verify.verifyEventsPerSecond.toLocaleString("en-GB")],
    ["bin/portal audit verify --json, with start-up", verify.cli.eventsPerSecond.toLocaleString("en-GB")],
    [`ratio (target ≥ ${VERIFY_TARGET})`, `${verify.ratio} — ${verify.met ? "met" : "NOT met"}`],
    ["in CPU time of this process: plain SHA-256 / verification", `${verify.cpu.sha256EventsPerSecond.toLocaleString("en-GB")} / ${verify.cpu.verifyEventsPerSecond.toLocaleString("en-GB")} (ratio ${verify.cpu.ratio})`],
  ]);
}

function printTable(result: Result): void {
  const { data, auditVerify: verify } = result;
  const pageResults = result.pages.results;
  const table = formatTable([
    ["page", "median ms", "p95 ms", "× baseline (median)", "× baseline (p95)", `target ≤ ${PAGE_TARGET}×`, "its reads alone, ms"],
    ...pageResults.map((p) => [
      p.name,
      p.medianMs.toFixed(1),
      p.p95Ms.toFixed(1),
      p.medianRatio?.toFixed(2) ?? "1",
      p.p95Ratio?.toFixed(2) ?? "1",
      p.met === undefined ? "" : p.met ? "met" : "NOT met",
      p.readsMedianMs?.toFixed(1) ?? "",
    ]),
  ]);
  process.stdout.write(
    [
      `queue benchmark, ${result.date.slice(0, 10)}, ${result.machine.cores} cores (${result.machine.cpu}), PostgreSQL ${result.postgres}, scale ${result.scale}; load average ${result.machine.loadAverage.start} at the start, ${result.machine.loadAverage.pages} over the page timings (5 min)`,
      `data: ${data.organisations.toLocaleString("en-GB")} organisations, ${data.accounts.toLocaleString("en-GB")} accounts, ${data.requests.toLocaleString("en-GB")} requests (${data.openRequests.toLocaleString("en-GB")} open), ${verify.events.toLocaleString("en-GB")} audit events; ${data.meadowbank.name}: ${data.meadowbank.accounts} accounts; loaded in ${data.loadSeconds} s`,
      "",
      `pages: ${result.rounds} requests each after ${result.warmUp} warm-up, one at a time, time to the full body`,
      table,
      "",
      verifyTable(verify),
      `the baseline's own pass (rows through drizzle, canonicalEncoding): read ${Math.round(verify.breakdown.share.read * 100)} %, canonical encoding ${Math.round(verify.breakdown.share.encode * 100)} %, SHA-256 ${Math.round(verify.breakdown.share.hash * 100)} %`,
    ].join("\n") + "\n",
  );
}

main()
  .catch(async (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    await cleanUp();
    process.exit(1);
  })
  .then(() => cleanUp());
