/**
 * bench/sign-in — whole two-step sign-ins through the HTTP interface, against the bare
 * argon2id verification measured in the same run (issue 3; target: sign-in ≤ 1.2 × hash).
 *
 *   npm run build && npx tsx bench/sign-in.ts [--seconds 20] [--json]
 *
 * It starts the production build (`next start`) on a fresh embedded database with demo data,
 * then drives it as a browser without JavaScript would: GET the sign-in page, POST the form,
 * GET the security-number page, read which positions it asks for, POST the digits, and check
 * the answer is a signed-in redirect carrying the session cookie. One client per core keeps
 * every core busy; both figures are reported per core.
 */
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { hashPassword, verifyPassword } from "../lib/auth/passwords";
import { DEMO_PASSWORD } from "../lib/demo/demo-data";
import { signIn as signInOverHttp, type SignInStep } from "./lib/http";
import { startNextServer, type NextServer } from "./lib/next-server";

const args = process.argv.slice(2);
const seconds = Number(args[args.indexOf("--seconds") + 1] ?? 20) || 20;
const json = args.includes("--json");
const cores = Math.max(1, os.availableParallelism());
const port = 3190;
const base = `http://127.0.0.1:${port}`;
const accounts = ["priya.shah@meadowbank-care.example.org", "tom.baker@meadowbank-care.example.org", "alex.morgan@council.example.org", "sam.patel@council.example.org"];

/** Hashes verified per second on one core, with the portal's own parameters. */
async function hashBaseline(): Promise<number> {
  const stored = await hashPassword(DEMO_PASSWORD);
  for (let i = 0; i < 20; i += 1) await verifyPassword(stored, DEMO_PASSWORD); // warm up
  // One verification at a time per core, as many at once as there are cores.
  let done = 0;
  const until = performance.now() + (seconds * 1000) / 2;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: cores }, async () => {
      while (performance.now() < until) {
        if (!(await verifyPassword(stored, DEMO_PASSWORD))) throw new Error("the demo password did not verify");
        done += 1;
      }
    }),
  );
  return done / ((performance.now() - started) / 1000) / cores;
}

async function startServer(): Promise<{ server: NextServer; dataDir: string }> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), "portal-bench-"));
  const server = await startNextServer({
    port,
    env: { ...process.env, PORTAL_DATA_DIR: dataDir, PORTAL_URL: base, NODE_ENV: "production", PORTAL_CONFIG: "", DATABASE_URL: "" },
  });
  return { server, dataDir };
}

/** Milliseconds spent in each request of a sign-in, summed over the run (to see where time goes). */
const stepTimes: Record<SignInStep, number> = { signInPage: 0, password: 0, digitsPage: 0, digits: 0 };

async function timed<T>(step: keyof typeof stepTimes, work: () => Promise<T>): Promise<T> {
  const started = performance.now();
  try {
    return await work();
  } finally {
    stepTimes[step] += performance.now() - started;
  }
}

/** One whole sign-in; throws unless it ends signed in. */
async function signIn(email: string): Promise<void> {
  await signInOverHttp(base, email, { timed });
}

async function signInRate(): Promise<number> {
  for (let i = 0; i < 5; i += 1) await signIn(accounts[i % accounts.length]!); // warm up
  for (const key of Object.keys(stepTimes) as (keyof typeof stepTimes)[]) stepTimes[key] = 0;
  let done = 0;
  const until = performance.now() + seconds * 1000;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: cores }, async (_, client) => {
      while (performance.now() < until) {
        await signIn(accounts[client % accounts.length]!);
        done += 1;
      }
    }),
  );
  return done / ((performance.now() - started) / 1000) / cores;
}

async function main(): Promise<void> {
  const hashesPerCore = await hashBaseline();
  const { server, dataDir } = await startServer();
  let signInsPerCore: number;
  try {
    signInsPerCore = await signInRate();
  } finally {
    await server.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
  const ratio = hashesPerCore / signInsPerCore;
  const total = Object.values(stepTimes).reduce((a, b) => a + b, 0);
  const share = Object.fromEntries(Object.entries(stepTimes).map(([k, v]) => [k, Number((v / total).toFixed(2))]));
  const result = {
    cores,
    seconds,
    argon2idVerificationsPerSecondPerCore: Number(hashesPerCore.toFixed(1)),
    signInsPerSecondPerCore: Number(signInsPerCore.toFixed(1)),
    ratio: Number(ratio.toFixed(2)),
    target: 1.2,
    met: ratio <= 1.2,
    shareOfClientTimeByRequest: share,
  };
  if (json) process.stdout.write(`${JSON.stringify(result)}\n`);
  else {
    process.stdout.write(
      [
        `cores: ${cores}`,
        `argon2id verification alone: ${result.argon2idVerificationsPerSecondPerCore}/s per core`,
        `whole two-step sign-in over HTTP: ${result.signInsPerSecondPerCore}/s per core`,
        `ratio (sign-in time / hash time): ${result.ratio} (target ≤ ${result.target}: ${result.met ? "met" : "NOT met"})`,
        `share of time by request: ${Object.entries(share).map(([k, v]) => `${k} ${v}`).join(", ")}`,
      ].join("\n") + "\n",
    );
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
