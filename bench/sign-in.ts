/**
 * bench/sign-in — whole two-step sign-ins through the HTTP interface, against the bare
 * argon2id verification measured in the same run (issue 3; target: sign-in ≤ 1.2 × hash).
 *
 *   npm run build && npx tsx bench/sign-in.ts [--seconds 20] [--clients N] [--postgres] [--json]
 *
 * It starts the production build (`next start`) on a fresh database with the demo data — the
 * embedded one, or with --postgres a throwaway PostgreSQL 15 — and drives it as a browser
 * without JavaScript would. A sign-in is the requests that do its work: POST the password
 * form, GET the security-number page it redirects to (which says which positions to give),
 * POST the digits, and check the answer is a signed-in redirect carrying the session cookie.
 * A second phase times the whole journey around it as well: GET the sign-in page first, and
 * follow the signed-in redirect (GET /home) at the end.
 *
 * Both figures are per core. The hash runs `cores` verifications at once (every core busy);
 * the server is driven by `--clients` clients (default twice the cores: a sign-in waits on the
 * hash in the thread pool, the server's own thread and the client in turn, so one client per
 * core leaves cores idle). Wall-clock rates on a shared machine move with its load, so CPU time
 * is reported too — of the hash in this process, and of the server process and this client per
 * sign-in — which the load barely moves.
 */
import { randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { syncSecurityRoles } from "../lib/accounts/sync-security-roles";
import { hashPassword, verifyPassword } from "../lib/auth/passwords";
import { systemClock } from "../lib/clock";
import { getConfig } from "../lib/config";
import { migrateDatabase, openDatabase } from "../lib/db";
import { DEMO_PASSWORD } from "../lib/demo/demo-data";
import { seedDemo } from "../lib/demo/seed-demo";
import { cleanUp, log, onCleanUp } from "./lib/cleanup";
import { formAction, signIn as signInOverHttp, type SignInStep } from "./lib/http";
import { startNextServer, type NextServer } from "./lib/next-server";
import { createDatabase, startPostgresServer } from "./lib/postgres";

const args = process.argv.slice(2);
const option = (name: string, fallback: number) => {
  const i = args.indexOf(name);
  const value = i >= 0 ? Number(args[i + 1]) : fallback;
  if (!Number.isFinite(value) || value <= 0) throw new Error(`${name} needs a positive number`);
  return value;
};
const seconds = option("--seconds", 20);
const json = args.includes("--json");
const postgres = args.includes("--postgres");
const cores = Math.max(1, os.availableParallelism());
const clients = Math.round(option("--clients", 2 * cores));
/** Sign-ins of the one-at-a-time breakdown (default: ten a second of --seconds, at least 50). */
const breakdownRounds = Math.round(option("--breakdown-rounds", Math.max(50, seconds * 10)));
const port = 3200;
const base = `http://127.0.0.1:${port}`;
const accounts = ["priya.shah@meadowbank-care.example.org", "tom.baker@meadowbank-care.example.org", "alex.morgan@council.example.org", "sam.patel@council.example.org"];

/** CPU milliseconds (user + system, every thread) a process has used, from /proc (Linux). */
function processCpuMs(pid: number): number | null {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100; // utime, stime in USER_HZ ticks (100 on Linux)
  } catch {
    return null;
  }
}
const ownCpuMs = () => {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1000;
};

/** Hashes verified per second on one core, and the CPU time one takes, with the portal's own parameters. */
async function hashBaseline(): Promise<{ perSecondPerCore: number; cpuMs: number }> {
  const stored = await hashPassword(DEMO_PASSWORD);
  for (let i = 0; i < 20; i += 1) await verifyPassword(stored, DEMO_PASSWORD); // warm up
  // One verification at a time per core, as many at once as there are cores.
  let done = 0;
  const until = performance.now() + (seconds * 1000) / 2;
  const started = performance.now();
  const cpuAtStart = ownCpuMs();
  await Promise.all(
    Array.from({ length: cores }, async () => {
      while (performance.now() < until) {
        if (!(await verifyPassword(stored, DEMO_PASSWORD))) throw new Error("the demo password did not verify");
        done += 1;
      }
    }),
  );
  return { perSecondPerCore: done / ((performance.now() - started) / 1000) / cores, cpuMs: (ownCpuMs() - cpuAtStart) / done };
}

/** The environment of a server on a fresh database: the embedded one, or a throwaway PostgreSQL 15 migrated and seeded here. */
async function databaseEnv(): Promise<NodeJS.ProcessEnv> {
  const env: NodeJS.ProcessEnv = { ...process.env, PORTAL_URL: base, NODE_ENV: "production", PORTAL_CONFIG: "", PORTAL_PROFILE: "", PORTAL_JOBS: "off", RESEND_API_KEY: "" };
  if (!postgres) {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), "portal-bench-"));
    onCleanUp(async () => rmSync(dataDir, { recursive: true, force: true }));
    return { ...env, PORTAL_DATA_DIR: dataDir, DATABASE_URL: "" };
  }
  const server = await startPostgresServer({ log });
  onCleanUp(() => server.stop());
  const url = await createDatabase(server, "portal_bench");
  const secretsKey = randomBytes(32);
  process.env.PORTAL_CONFIG = "";
  process.env.PORTAL_PROFILE = "";
  const config = getConfig();
  const handle = await openDatabase({ url, poolSize: 2 });
  try {
    await migrateDatabase(handle);
    await syncSecurityRoles(handle.db, config);
    await seedDemo({ db: handle.db, config, clock: systemClock, secretsKey, baseUrl: base });
  } finally {
    await handle.close();
  }
  return { ...env, DATABASE_URL: url, PORTAL_SECRETS_KEY: secretsKey.toString("base64") };
}

interface Phase {
  perSecondPerCore: number;
  /** CPU of the server process and of this client per sign-in, in ms. */
  serverCpuMs: number | null;
  clientCpuMs: number;
  /** Median milliseconds of each request, with `clients` sign-ins under way. */
  medianMs: Partial<Record<SignInStep, number>>;
}

/** Signs in over and over from `clients` clients for `phaseSeconds`; `journey` adds the sign-in page and the landing. */
async function signInPhase(server: NextServer, passwordAction: string, journey: boolean, phaseSeconds: number): Promise<Phase> {
  const times: Partial<Record<SignInStep, number[]>> = {};
  const timed = async <T>(step: SignInStep, work: () => Promise<T>): Promise<T> => {
    const started = performance.now();
    try {
      return await work();
    } finally {
      (times[step] ??= []).push(performance.now() - started);
    }
  };
  const once = (email: string, record: boolean) =>
    signInOverHttp(base, email, { passwordAction: journey ? undefined : passwordAction, landing: journey, timed: record ? timed : undefined });
  for (let i = 0; i < 2 * clients; i += 1) await once(accounts[i % accounts.length]!, false); // warm up
  let done = 0;
  const pid = server.process.pid!;
  const serverCpuAtStart = processCpuMs(pid);
  const clientCpuAtStart = ownCpuMs();
  const started = performance.now();
  const until = started + phaseSeconds * 1000;
  await Promise.all(
    Array.from({ length: clients }, async (_, client) => {
      while (performance.now() < until) {
        await once(accounts[client % accounts.length]!, true);
        done += 1;
      }
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  const serverCpuAtEnd = processCpuMs(pid);
  const median = (values: number[]) => [...values].sort((a, b) => a - b)[values.length >> 1] ?? 0;
  return {
    perSecondPerCore: done / elapsed / cores,
    serverCpuMs: serverCpuAtStart !== null && serverCpuAtEnd !== null ? (serverCpuAtEnd - serverCpuAtStart) / done : null,
    clientCpuMs: (ownCpuMs() - clientCpuAtStart) / done,
    medianMs: Object.fromEntries(Object.entries(times).map(([step, values]) => [step, Number(median(values).toFixed(1))])),
  };
}

/**
 * Server CPU per request of each kind, one sign-in at a time (no contention), and of the
 * cheapest request the server answers (GET /api/health: no page, no database) as the floor
 * Next itself sets. /proc counts in 10 ms ticks, so each figure is an average over many.
 */
async function requestBreakdown(server: NextServer, passwordAction: string, rounds: number): Promise<Record<string, number>> {
  const pid = server.process.pid!;
  const cpu: Record<string, number> = {};
  const count: Record<string, number> = {};
  const timed = async <T>(step: string, work: () => Promise<T>): Promise<T> => {
    const before = processCpuMs(pid) ?? 0;
    try {
      return await work();
    } finally {
      cpu[step] = (cpu[step] ?? 0) + (processCpuMs(pid) ?? 0) - before;
      count[step] = (count[step] ?? 0) + 1;
    }
  };
  for (let i = 0; i < rounds; i += 1) {
    await signInOverHttp(base, accounts[i % accounts.length]!, { passwordAction, timed });
    await timed("health", async () => (await fetch(`${base}/api/health`)).text());
    // The cheapest answer on the path a sign-in takes (proxy, Node runtime, a route handler): a GET to the POST-only digits route.
    await timed("trivial", async () => (await fetch(`${base}/sign-in/digits`)).text());
  }
  return Object.fromEntries(Object.entries(cpu).map(([step, total]) => [step, Number((total / count[step]!).toFixed(2))]));
}

const round = (value: number | null, digits = 1) => (value === null ? null : Number(value.toFixed(digits)));

async function main(): Promise<void> {
  const loadAtStart = round(os.loadavg()[0]!);
  const hash = await hashBaseline();
  const env = await databaseEnv();
  const server = await startNextServer({ port, env });
  onCleanUp(() => server.stop());
  const passwordAction = formAction(await (await fetch(`${base}/sign-in`)).text());
  const work = await signInPhase(server, passwordAction, false, seconds);
  const journey = await signInPhase(server, passwordAction, true, seconds / 2);
  const breakdown = await requestBreakdown(server, passwordAction, breakdownRounds);
  await cleanUp();

  const describe = (phase: Phase) => {
    const cpu = phase.serverCpuMs === null ? null : phase.serverCpuMs + phase.clientCpuMs;
    return {
      signInsPerSecondPerCore: round(phase.perSecondPerCore),
      ratio: round(hash.perSecondPerCore / phase.perSecondPerCore, 2),
      cpuMsPerSignIn: { server: round(phase.serverCpuMs), client: round(phase.clientCpuMs) },
      cpuRatio: cpu === null ? null : round(cpu / hash.cpuMs, 2),
      medianMsByRequest: phase.medianMs,
    };
  };
  const result = {
    database: postgres ? "postgresql" : "embedded",
    cores,
    clients,
    seconds,
    loadAverageAtStart: loadAtStart,
    argon2idVerificationsPerSecondPerCore: round(hash.perSecondPerCore),
    argon2idCpuMsPerVerification: round(hash.cpuMs, 2),
    signIn: describe(work),
    journey: describe(journey),
    /** Server CPU ms per request, one at a time (the password includes its hash, in the thread pool). */
    serverCpuMsByRequest: breakdown,
    target: 1.2,
    met: hash.perSecondPerCore / work.perSecondPerCore <= 1.2,
  };
  if (json) process.stdout.write(`${JSON.stringify(result)}\n`);
  else {
    const line = (name: string, d: ReturnType<typeof describe>) =>
      [
        `${name}: ${d.signInsPerSecondPerCore}/s per core — ratio ${d.ratio} by wall clock, ${d.cpuRatio} by CPU time`,
        `  CPU per sign-in: server ${d.cpuMsPerSignIn.server} ms, client ${d.cpuMsPerSignIn.client} ms; median ms by request: ${Object.entries(d.medianMsByRequest)
          .map(([k, v]) => `${k} ${v}`)
          .join(", ")}`,
      ].join("\n");
    process.stdout.write(
      [
        `database: ${result.database}; cores: ${cores}; clients: ${clients}; load average at start: ${loadAtStart}`,
        `argon2id verification alone: ${result.argon2idVerificationsPerSecondPerCore}/s per core (${result.argon2idCpuMsPerVerification} ms CPU each)`,
        line("sign-in (POST password, GET digits page, POST digits)", result.signIn),
        line("whole journey (+ GET sign-in page, GET /home)", result.journey),
        `server CPU ms by request, one at a time: ${Object.entries(breakdown)
          .map(([k, v]) => `${k} ${v}`)
          .join(", ")} (health: edge, no proxy; trivial: a 405 through the proxy — Next's floor)`,
        `floor: the hash plus three trivial requests' server CPU = ${round((hash.cpuMs + 3 * (breakdown.trivial ?? 0)) / hash.cpuMs, 2)} × the hash, before any work or client`,
        `target: sign-in ≤ ${result.target} × the hash: ${result.met ? "met" : "NOT met"}`,
      ].join("\n") + "\n",
    );
  }
}

main().catch(async (error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  await cleanUp();
  process.exit(1);
});
