/**
 * bench/sweep — the inactivity sweep on a large portal (issue 6).
 *
 *   npx tsx bench/sweep.ts [--scale 1] [--rounds 3] [--json]
 *
 * It starts a throwaway PostgreSQL 15 (as the integration tests do), migrates it, seeds the
 * demo and COPYs in (at scale 1) 1,000 provider organisations of 100 active provider accounts
 * each — 100,000 accounts, activated long ago, the first of each organisation its Lead
 * correspondent — of which 10,000 (ten an organisation) last signed in before
 * config.accounts.inactivityDays and the rest within the last 40 days (so none is warned).
 * That database is the template of fresh copies; each round, on one copy the "inactivity" job
 * runs once through runJob (suspension, session ends, emails to the user and Lead, audit
 * events, the job_runs row — one transaction), and on another a bare
 * `UPDATE accounts SET status = 'suspended', suspended_at = now() WHERE … RETURNING id` of the
 * same rows. Target: the sweep's median ≤ 3 × the bare UPDATE's.
 *
 * Prints a table (or one JSON document with --json); exits non-zero on errors only, never on a
 * missed target. PostgreSQL is removed at the end, also on failure or Ctrl-C.
 */
import { randomBytes, randomUUID } from "node:crypto";
import { appendFileSync, readFileSync, statSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { syncSecurityRoles } from "../lib/accounts/sync-security-roles";
import { fixedClock } from "../lib/clock";
import { getConfig } from "../lib/config";
import { migrateDatabase, openDatabase } from "../lib/db";
import { seedDemo } from "../lib/demo/seed-demo";
import { runJob, silentJobLog } from "../lib/jobs";
import { copyInto, createDatabase, csvLine, startPostgresServer, type PostgresServer } from "./lib/postgres";
import { formatTable, median, round } from "./lib/stats";
import { cleanUp, log, onCleanUp } from "./lib/cleanup";

const args = process.argv.slice(2);
const option = (name: string, fallback: number) => {
  const i = args.indexOf(name);
  const value = i >= 0 ? Number(args[i + 1]) : fallback;
  if (!Number.isFinite(value) || value <= 0) throw new Error(`${name} needs a positive number`);
  return value;
};
const json = args.includes("--json");
const scale = option("--scale", 1);
const rounds = Math.round(option("--rounds", 3));
/** BENCH_STATEMENT_LOG=file: every statement of each sweep, with its duration from the server's log, appended to file. */
const statementLog = process.env.BENCH_STATEMENT_LOG;
const TARGET = 3;
const PER_ORG = 100;
const STALE_PER_ORG = 10;
const DAY = 86_400_000;


async function admin<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** 1,000 organisations × 100 active provider accounts (scaled), 10 an organisation idle past the limit. */
async function load(url: string, now: Date, inactivityDays: number, leadRole: string): Promise<{ organisations: number; accounts: number; stale: number }> {
  const secret = await admin(url, async (c) => {
    const { rows } = await c.query<{ password_hash: string; security_number_sealed: string }>(
      "select password_hash, security_number_sealed from accounts where password_hash is not null and security_number_sealed is not null limit 1",
    );
    if (!rows[0]) throw new Error("the demo seed has no account with a password");
    return rows[0];
  });
  const orgCount = Math.max(1, Math.round(1000 * scale));
  const orgLines: string[] = [];
  const accountLines: string[] = [];
  const grantLines: string[] = [];
  const licenceLines: string[] = [];
  let stale = 0;
  for (let i = 0; i < orgCount; i += 1) {
    const orgId = randomUUID();
    const created = new Date(now.getTime() - (900 + (i % 500)) * DAY);
    orgLines.push(
      csvLine([orgId, `S${String(i + 1).padStart(5, "0")}`, `Sweep Care ${i + 1}`, "provider", "care_home", "active", `${i + 1} Oak Road, Exampletown, EX1 1AA`, { dpiaListed: true, dsptStatus: "Standards Met", dsptDate: "2026-06-30", inRegion: true }, created, created]),
    );
    licenceLines.push(csvLine([orgId, now.getUTCFullYear(), PER_ORG * 2]));
    for (let k = 0; k < PER_ORG; k += 1) {
      const id = randomUUID();
      const isStale = k % (PER_ORG / STALE_PER_ORG) === 5;
      if (isStale) stale += 1;
      const activated = new Date(now.getTime() - (200 + ((i * 7 + k * 13) % 700)) * DAY);
      const lastSignIn = isStale
        ? new Date(now.getTime() - (inactivityDays + 1 + ((i + k) % 300)) * DAY)
        : new Date(now.getTime() - ((i * 31 + k * 17) % (40 * 24)) * 3_600_000);
      accountLines.push(
        csvLine([id, orgId, "provider", `Person ${i + 1}-${k + 1}`, `user${k + 1}@sweep-${i + 1}.example.org`, "active", k === 0 ? "Registered Manager" : "Senior Carer", lastSignIn, activated, secret.password_hash, secret.security_number_sealed, activated, activated]),
      );
      grantLines.push(csvLine([id, k === 0 ? leadRole : "care_coordinator", activated]));
    }
  }
  await copyInto(url, "organisations", ["id", "ods_code", "name", "kind", "type", "status", "address", "eligibility", "created_at", "updated_at"], orgLines);
  await copyInto(
    url,
    "accounts",
    ["id", "organisation_id", "audience", "full_name", "email", "status", "job_title", "last_sign_in_at", "activated_at", "password_hash", "security_number_sealed", "created_at", "updated_at"],
    accountLines,
  );
  await copyInto(url, "role_grants", ["account_id", "role_key", "created_at"], grantLines);
  await copyInto(url, "licence_allocations", ["organisation_id", "year", "allocation"], licenceLines);
  await admin(url, async (c) => {
    await c.query("checkpoint");
    await c.query("vacuum (analyze)");
    await c.query("checkpoint");
  });
  return { organisations: orgCount, accounts: accountLines.length, stale };
}

async function copyOf(server: PostgresServer, template: string, name: string): Promise<string> {
  await admin(server.url, (c) => c.query(`CREATE DATABASE "${name}" WITH TEMPLATE "${template}"`));
  onCleanUp(() => dropDatabase(server, name));
  return server.urlFor(name);
}

async function dropDatabase(server: PostgresServer, name: string): Promise<void> {
  await admin(server.url, (c) => c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
}

/** The same warm-up for both sides: read the tables the statements touch. */
const WARM_UP = "select (select count(*) from accounts) + (select count(*) from audit_events) + (select count(*) from sessions) + (select count(*) from role_grants)";

/** Audit events and queued emails so far (the sweep adds one suspension event and one email an account). */
const counts = (url: string) =>
  admin(url, async (c) => {
    const { rows } = await c.query<{ audit: number; messages: number }>(
      "select (select count(*)::int from audit_events where action = 'account.suspended') as audit, (select count(*)::int from outbound_messages) as messages",
    );
    return rows[0]!;
  });

interface Round {
  sweepMs: number;
  bareMs: number;
  ratio: number;
  summary: Record<string, unknown>;
  auditEvents: number;
  messages: number;
}

async function main() {
  const startedAt = new Date();
  const loadAtStart = round(os.loadavg()[0]!, 1);
  process.env.PORTAL_CONFIG = "";
  process.env.PORTAL_PROFILE = "";
  const config = getConfig();
  const secretsKey = randomBytes(32);
  const now = new Date();
  const clock = fixedClock(now);
  const cutoff = new Date(now.getTime() - config.accounts.inactivityDays * DAY);

  log(`Starting PostgreSQL (scale ${scale}) …`);
  const postgres = await startPostgresServer({ log });
  onCleanUp(() => postgres.stop());
  const template = "sweep_template";
  const templateUrl = await createDatabase(postgres, template);

  log("Migrating and seeding the demo …");
  const handle = await openDatabase({ url: templateUrl, poolSize: 2 });
  try {
    await migrateDatabase(handle);
    await syncSecurityRoles(handle.db, config);
    await seedDemo({ db: handle.db, config, clock, secretsKey });
  } finally {
    await handle.close();
  }
  log("Loading accounts …");
  const loadStarted = performance.now();
  const data = await load(templateUrl, now, config.accounts.inactivityDays, config.leadRoleKey);
  const loadSeconds = round((performance.now() - loadStarted) / 1000, 1);
  const due = await admin(templateUrl, async (c) => {
    const { rows } = await c.query<{ n: number }>("select count(*)::int as n from accounts where status = 'active' and audience = 'provider' and last_sign_in_at <= $1", [cutoff]);
    return rows[0]!.n;
  });
  log(`  ${data.organisations.toLocaleString("en-GB")} organisations, ${data.accounts.toLocaleString("en-GB")} accounts, ${due.toLocaleString("en-GB")} past ${config.accounts.inactivityDays} days (${loadSeconds} s)`);
  if (due !== data.stale) throw new Error(`expected ${data.stale} accounts past the limit, found ${due}`);

  const results: Round[] = [];
  for (let r = 0; r < rounds; r += 1) {
    const sweepUrl = await copyOf(postgres, template, `sweep_${r}`);
    const bareUrl = await copyOf(postgres, template, `bare_${r}`);

    const timeSweep = async (): Promise<{ ms: number; summary: Record<string, unknown>; auditEvents: number; messages: number }> => {
      if (statementLog) await admin(postgres.url, (c) => c.query(`ALTER DATABASE "sweep_${r}" SET log_min_duration_statement = 0`));
      const serverLog = path.join(postgres.dir, "server.log");
      const logFrom = statementLog ? statSync(serverLog).size : 0;
      const h = await openDatabase({ url: sweepUrl, poolSize: 2 });
      try {
        await h.db.execute(WARM_UP);
        const before = await counts(sweepUrl);
        const started = performance.now();
        const result = await runJob("inactivity", { db: h.db, clock, config, baseUrl: "http://localhost:3000", log: silentJobLog }, { trigger: "cli" });
        const ms = performance.now() - started;
        if (result.status !== "ok") throw new Error(`the inactivity job ended ${result.status}: ${result.error ?? ""}`);
        const summary = result.summary as Record<string, unknown>;
        if (summary.suspended !== data.stale) throw new Error(`the inactivity job suspended ${String(summary.suspended)}, expected ${data.stale}`);
        const after = await counts(sweepUrl);
        if (statementLog) appendFileSync(statementLog, `--- round ${r + 1}: sweep ${Math.round(ms)} ms\n${readFileSync(serverLog).subarray(logFrom).toString("utf8")}`);
        return { ms, summary, auditEvents: after.audit - before.audit, messages: after.messages - before.messages };
      } finally {
        await h.close();
      }
    };
    const timeBare = async (): Promise<number> =>
      admin(bareUrl, async (c) => {
        await c.query(WARM_UP);
        const started = performance.now();
        const { rowCount } = await c.query(
          "update accounts set status = 'suspended', suspended_at = now() where status = 'active' and audience = 'provider' and last_sign_in_at <= $1 returning id",
          [cutoff],
        );
        const ms = performance.now() - started;
        if (rowCount !== data.stale) throw new Error(`the bare UPDATE changed ${rowCount} rows, expected ${data.stale}`);
        return ms;
      });

    // Alternate which goes first, so drift falls on both alike.
    let sweep: Awaited<ReturnType<typeof timeSweep>>;
    let bareMs: number;
    if (r % 2 === 0) {
      sweep = await timeSweep();
      bareMs = await timeBare();
    } else {
      bareMs = await timeBare();
      sweep = await timeSweep();
    }
    results.push({ sweepMs: round(sweep.ms, 1), bareMs: round(bareMs, 1), ratio: round(sweep.ms / bareMs, 2), summary: sweep.summary, auditEvents: sweep.auditEvents, messages: sweep.messages });
    log(`  round ${r + 1} of ${rounds}: sweep ${Math.round(sweep.ms)} ms, bare UPDATE ${Math.round(bareMs)} ms (${JSON.stringify(sweep.summary)}, ${sweep.auditEvents} audit events, ${sweep.messages} emails)`);
    await dropDatabase(postgres, `sweep_${r}`);
    await dropDatabase(postgres, `bare_${r}`);
  }

  const sweepMedian = round(median(results.map((r) => r.sweepMs)), 1);
  const bareMedian = round(median(results.map((r) => r.bareMs)), 1);
  const ratio = round(sweepMedian / bareMedian, 2);
  const result = {
    benchmark: "sweep",
    date: startedAt.toISOString(),
    machine: { cores: os.availableParallelism(), cpu: os.cpus()[0]?.model ?? "unknown", loadAverage: { start: loadAtStart, end: round(os.loadavg()[0]!, 1) } },
    postgres: postgres.version,
    scale,
    rounds,
    data: { ...data, inactivityDays: config.accounts.inactivityDays, loadSeconds },
    rounds_: results,
    sweepMedianMs: sweepMedian,
    bareUpdateMedianMs: bareMedian,
    ratio,
    target: TARGET,
    met: ratio <= TARGET,
  };
  await cleanUp();

  if (json) {
    const { rounds_: perRound, ...rest } = result;
    process.stdout.write(`${JSON.stringify({ ...rest, perRound })}\n`);
    return;
  }
  const table = formatTable([
    ["round", "sweep ms", "bare UPDATE ms", "ratio", "audit events", "emails"],
    ...results.map((r, i) => [String(i + 1), r.sweepMs.toFixed(1), r.bareMs.toFixed(1), r.ratio.toFixed(2), String(r.auditEvents), String(r.messages)]),
    ["median", sweepMedian.toFixed(1), bareMedian.toFixed(1), ratio.toFixed(2), "", ""],
  ]);
  process.stdout.write(
    [
      `inactivity sweep benchmark, ${result.date.slice(0, 10)}, ${result.machine.cores} cores (${result.machine.cpu}), PostgreSQL ${result.postgres}, scale ${scale}; load average ${loadAtStart} at the start`,
      `data: ${data.organisations.toLocaleString("en-GB")} organisations, ${data.accounts.toLocaleString("en-GB")} active provider accounts, ${data.stale.toLocaleString("en-GB")} idle past ${config.accounts.inactivityDays} days; loaded in ${loadSeconds} s`,
      "",
      table,
      "",
      `sweep (runJob "inactivity", audit events and emails included) / bare UPDATE … RETURNING: ${ratio}× — target ≤ ${TARGET}× ${result.met ? "met" : "NOT met"}`,
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
