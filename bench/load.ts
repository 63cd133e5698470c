/**
 * bench/load — the portal under rising concurrency (issue 11, load).
 *
 *   npm run build && npm run bench:load [-- --levels 1,4,16] [--seconds 6] [--json]
 *
 * A throwaway PostgreSQL 15 (as the integration tests start it) with the demo data, and the
 * production build (`next start`, NEXT_DIST_DIR respected) on it, jobs off. At each level of
 * concurrency, in turn:
 *
 * - sign-in: whole two-step sign-ins (bench/lib/http.ts signIn: the sign-in page, the
 *   password, the security-number page, the digits), each step timed; closed loop, one
 *   sign-in after another per client — each step needs the previous answer's cookie.
 * - queue page: autocannon, GET /staff/requests as the demo team lead.
 * - submissions: autocannon, the new-user request form posted as Meadowbank's Lead
 *   correspondent, a new person in every request (a 303 to the request is "accepted").
 * - approvals: staff take accepted requests through prioritise, assign to me, start and
 *   approve, each a form read from the request's page and posted; closed loop per client.
 *
 * Reported per step and level: completed per second, p50/p95/p99 in ms (measured per request)
 * and errors (an unexpected status, a refusal, a network error). Afterwards it asserts that
 * every accepted submission exists exactly once, every approval it was told of is recorded,
 * and the audit chain verifies; it exits 1 if not. PostgreSQL and the server are removed at
 * the end, also on failure or Ctrl-C.
 */
import os from "node:os";
import autocannon from "autocannon";
import { sql } from "drizzle-orm";
import { syncSecurityRoles } from "../lib/accounts/sync-security-roles";
import { verifyAuditChain } from "../lib/audit";
import { systemClock } from "../lib/clock";
import { getConfig } from "../lib/config";
import { migrateDatabase, openDatabase } from "../lib/db";
import { queryRows } from "../lib/db/types";
import { seedDemo } from "../lib/demo/seed-demo";
import { freePort } from "../tests/support/postgres-server";
import { cleanUp, log, onCleanUp } from "./lib/cleanup";
import { decode, signIn, type SignInStep } from "./lib/http";
import { startNextServer } from "./lib/next-server";
import { createDatabase, startPostgresServer } from "./lib/postgres";
import { formatTable, percentile, round } from "./lib/stats";

const args = process.argv.slice(2);
const value = (name: string) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const json = args.includes("--json");
const levels = (value("--levels") ?? "1,4,16").split(",").map(Number);
const seconds = Number(value("--seconds") ?? 6);
if (levels.some((n) => !Number.isInteger(n) || n < 1) || !(seconds > 0)) throw new Error("--levels takes positive whole numbers (1,4,16); --seconds a positive number");

const STAFF = "alex.morgan@council.example.org";
const LEAD = "priya.shah@meadowbank-care.example.org";
/** Active demo accounts that sign in in turn (the demo password and security number). */
const SIGN_IN_ACCOUNTS = [STAFF, "sam.patel@council.example.org", "chris.evans@council.example.org", LEAD, "tom.baker@meadowbank-care.example.org"];

interface StepResult {
  step: string;
  level: number;
  completed: number;
  perSecond: number;
  p50: number;
  p95: number;
  p99: number;
  errors: number;
  /** What the errors were, counted: "status 500", "refused", "ECONNRESET" … */
  errorKinds: Record<string, number>;
}

class Recorder {
  samples = new Map<string, number[]>();
  errors = new Map<string, Record<string, number>>();
  ok(step: string, ms: number) {
    if (!this.samples.has(step)) this.samples.set(step, []);
    this.samples.get(step)!.push(ms);
  }
  fail(step: string, kind: string) {
    const kinds = this.errors.get(step) ?? {};
    kinds[kind] = (kinds[kind] ?? 0) + 1;
    this.errors.set(step, kinds);
  }
  results(level: number, elapsedMs: number, steps: string[]): StepResult[] {
    return steps.map((step) => {
      const samples = this.samples.get(step) ?? [];
      const errorKinds = this.errors.get(step) ?? {};
      return {
        step,
        level,
        completed: samples.length,
        perSecond: round(samples.length / (elapsedMs / 1000), 1),
        p50: round(percentile(samples, 50)),
        p95: round(percentile(samples, 95)),
        p99: round(percentile(samples, 99)),
        errors: Object.values(errorKinds).reduce((a, b) => a + b, 0),
        errorKinds,
      };
    });
  }
}

const describeError = (error: unknown) => (error instanceof Error ? ((error.cause as { code?: string } | undefined)?.code ?? error.message.slice(0, 60)) : String(error));

/** The hidden inputs of the one form on the page whose markup contains `marker`. */
function formFields(html: string, marker: string): [string, string][] {
  for (const match of html.matchAll(/<form\b[\s\S]*?<\/form>/g)) {
    if (!match[0].includes(marker)) continue;
    const fields: [string, string][] = [];
    for (const input of match[0].matchAll(/<input\b[^>]*>/g)) {
      if (!/type="hidden"/.test(input[0])) continue;
      const name = /name="([^"]*)"/.exec(input[0])?.[1];
      if (name) fields.push([decode(name), decode(/value="([^"]*)"/.exec(input[0])?.[1] ?? "")]);
    }
    return fields;
  }
  throw new Error(`no form on the page contains ${marker}`);
}

/** A multipart/form-data body as a browser posts a server-action form. */
function multipart(fields: [string, string][]): { body: string; contentType: string } {
  const boundary = `----portalbench${Math.random().toString(16).slice(2)}`;
  const body = fields.map(([name, v]) => `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${v}\r\n`).join("") + `--${boundary}--\r\n`;
  return { body, contentType: `multipart/form-data; boundary=${boundary}` };
}

/** Runs `work` on `level` clients, one after another each, for `seconds`. */
async function closedLoop(level: number, work: (client: number) => Promise<void>): Promise<number> {
  const started = Date.now();
  const until = started + seconds * 1000;
  await Promise.all(
    Array.from({ length: level }, async (_, client) => {
      while (Date.now() < until) await work(client);
    }),
  );
  return Date.now() - started;
}

/** autocannon at `level` connections for `seconds`, each request timed here (for p95) and its status checked. */
async function cannon(
  level: number,
  recorder: Recorder,
  step: string,
  request: { path: string; method?: "GET" | "POST"; headers: Record<string, string>; body?: () => { body: string; contentType: string; tag: string } },
  expect: (status: number, headers: Record<string, string | string[]>, tag: string | undefined) => string | null,
): Promise<number> {
  const started = Date.now();
  const instance = autocannon({
    url: base,
    connections: level,
    duration: seconds,
    timeout: 30,
    requests: [
      {
        method: request.method ?? "GET",
        path: request.path,
        headers: request.headers,
        setupRequest: (req: Record<string, unknown>, context: Record<string, unknown>) => {
          context.t0 = performance.now();
          if (!request.body) return req;
          const { body, contentType, tag } = request.body();
          context.tag = tag;
          return { ...req, body, headers: { ...(req.headers as Record<string, string>), "content-type": contentType } };
        },
        onResponse: (status: number, _body: string, context: Record<string, unknown>, headers?: Record<string, string | string[]>) => {
          const ms = performance.now() - (context.t0 as number);
          const problem = expect(status, headers ?? {}, context.tag as string | undefined);
          if (problem) recorder.fail(step, problem);
          else recorder.ok(step, ms);
        },
      } as unknown as autocannon.Request,
    ],
  });
  const result = await instance;
  for (let i = 0; i < result.errors; i++) recorder.fail(step, "network error");
  for (let i = 0; i < result.timeouts; i++) recorder.fail(step, "timeout");
  return Date.now() - started;
}

// --- set-up ----------------------------------------------------------------------------------
log("bench/load: starting PostgreSQL 15 …");
const postgres = await startPostgresServer();
onCleanUp(() => postgres.stop());
const url = await createDatabase(postgres, "portal_load");
const config = getConfig();
{
  const handle = await openDatabase({ url });
  await migrateDatabase(handle);
  await syncSecurityRoles(handle.db, config);
  await seedDemo({ db: handle.db, config, clock: systemClock, secretsKey: Buffer.from(process.env.PORTAL_SECRETS_KEY ?? "cHJvdmlkZXItcG9ydGFsLWJlbmNoLWxvYWQta2V5ISE=", "base64") });
  // Licences are not what this measures: every submission may take one.
  await handle.db.execute(sql`update licence_allocations set allocation = 1000000`);
  await handle.close();
}
const port = await freePort();
const base = `http://127.0.0.1:${port}`;
log(`bench/load: starting the production build on ${base} …`);
const server = await startNextServer({
  port,
  env: {
    ...process.env,
    DATABASE_URL: url,
    PORTAL_SECRETS_KEY: process.env.PORTAL_SECRETS_KEY ?? "cHJvdmlkZXItcG9ydGFsLWJlbmNoLWxvYWQta2V5ISE=",
    PORTAL_URL: base,
    PORTAL_JOBS: "off",
    NODE_ENV: "production",
    NEXT_TELEMETRY_DISABLED: "1",
  },
});
onCleanUp(() => server.stop());

// The bench's own connection, for the checks at the end (and the approvals' outcome).
const verifier = await openDatabase({ url });
onCleanUp(() => verifier.close());

const staffCookie = await signIn(base, STAFF);
const leadCookie = await signIn(base, LEAD);
const newUserPage = await (await fetch(`${base}/portal/requests/new/new_user`, { headers: { cookie: leadCookie } })).text();
const newUserForm = formFields(newUserPage, 'name="type" value="new_user"');

const results: StepResult[] = [];
const accepted = new Map<string, string>(); // email → request id
const approved = new Set<string>();
const toApprove: string[] = [];
let submissionCounter = 0;

for (const level of levels) {
  log(`bench/load: concurrency ${level} …`);

  // Sign-in steps, closed loop.
  {
    const recorder = new Recorder();
    let turn = 0;
    const elapsed = await closedLoop(level, async () => {
      const email = SIGN_IN_ACCOUNTS[turn++ % SIGN_IN_ACCOUNTS.length]!;
      const t0 = performance.now();
      try {
        await signIn(base, email, {
          timed: async <T>(step: SignInStep, work: () => Promise<T>) => {
            const s0 = performance.now();
            const out = await work();
            recorder.ok(`sign-in: ${step}`, performance.now() - s0);
            return out;
          },
        });
        recorder.ok("sign-in: whole", performance.now() - t0);
      } catch (error) {
        recorder.fail("sign-in: whole", describeError(error));
      }
    });
    const steps = [...recorder.samples.keys()].filter((s) => s !== "sign-in: whole");
    results.push(...recorder.results(level, elapsed, [...steps, "sign-in: whole"]));
  }

  // The queue page, autocannon.
  {
    const recorder = new Recorder();
    const elapsed = await cannon(level, recorder, "queue page", { path: "/staff/requests", headers: { cookie: staffCookie } }, (status) => (status === 200 ? null : `status ${status}`));
    results.push(...recorder.results(level, elapsed, ["queue page"]));
  }

  // Submissions, autocannon: a new person every request.
  {
    const recorder = new Recorder();
    const elapsed = await cannon(
      level,
      recorder,
      "submission",
      {
        path: "/portal/requests/new/new_user",
        method: "POST",
        headers: { cookie: leadCookie, origin: base },
        body: () => {
          const n = submissionCounter++;
          const email = `load.${process.pid}.${n}@nhs.net`;
          return {
            tag: email,
            ...multipart([
              ...newUserForm,
              ["fullName", `Load Person ${n}`],
              ["email", email],
              ["jobTitle", "Care Coordinator"],
              ["roleKeys", "care_coordinator"],
              ["purpose", "Arranging home care visits for the people we support"],
            ]),
          };
        },
      },
      (status, headers, email) => {
        const location = String(Object.entries(headers).find(([name]) => name.toLowerCase() === "location")?.[1] ?? "");
        const id = /\/portal\/requests\/([0-9a-f-]{36})/.exec(location)?.[1];
        if (status !== 303 || !id) return status === 200 ? "refused (form shown again)" : `status ${status}`;
        accepted.set(email!, id);
        toApprove.push(id);
        return null;
      },
    );
    results.push(...recorder.results(level, elapsed, ["submission"]));
  }

  // Approvals, closed loop: prioritise → assign to me → start → approve, each form read from the page.
  {
    const recorder = new Recorder();
    const steps = [
      ["prioritise", 'value="prioritise"', [["priority", "normal"]]],
      ["assign to me", 'value="assign_to_me"', []],
      ["start", 'value="start"', []],
      ["approve", 'value="approve"', []],
    ] as const;
    const elapsed = await closedLoop(level, async () => {
      const id = toApprove.shift();
      if (!id) return void (await new Promise((r) => setTimeout(r, 50)));
      const t0 = performance.now();
      try {
        for (const [name, marker, extra] of steps) {
          const page = await (await fetch(`${base}/staff/requests/${id}`, { headers: { cookie: staffCookie } })).text();
          const { body, contentType } = multipart([...formFields(page, marker), ...(extra as readonly (readonly [string, string])[]).map(([k, v]): [string, string] => [k, v])]);
          const s0 = performance.now();
          const response = await fetch(`${base}/staff/requests/${id}`, { method: "POST", body, redirect: "manual", headers: { cookie: staffCookie, origin: base, "content-type": contentType } });
          await response.arrayBuffer();
          // A server action that succeeds re-renders (200) or redirects (303); one that fails says so in the form.
          if (response.status >= 400) throw new Error(`${name}: status ${response.status}`);
          recorder.ok(`approval: ${name}`, performance.now() - s0);
        }
        const [row] = await queryRows<{ status: string }>(verifier.db, sql`select status from requests where id = ${id}`);
        if (row?.status !== "resolved" && row?.status !== "closed") throw new Error(`ended ${row?.status}`);
        approved.add(id);
        recorder.ok("approval: whole", performance.now() - t0);
      } catch (error) {
        recorder.fail("approval: whole", describeError(error));
      }
    });
    results.push(...recorder.results(level, elapsed, ["approval: prioritise", "approval: assign to me", "approval: start", "approval: approve", "approval: whole"]));
  }
}

// --- afterwards: nothing lost, nothing doubled, the chain verifies ------------------------------
const checks: { name: string; ok: boolean; detail: string }[] = [];
{
  const rows = await queryRows<{ email: string; n: string }>(
    verifier.db,
    sql`select substring(payload::text from ${`(load\\.${process.pid}\\.[0-9]+@nhs\\.net)`}) as email, count(*)::text as n from requests where payload::text like ${`%load.${process.pid}.%`} group by 1`,
  );
  const counts = new Map(rows.map((r) => [r.email, Number(r.n)]));
  const missing = [...accepted.keys()].filter((email) => counts.get(email) !== 1);
  const doubled = rows.filter((r) => Number(r.n) > 1).length;
  checks.push({ name: "every accepted submission exists exactly once", ok: missing.length === 0 && doubled === 0, detail: `${accepted.size} accepted, ${rows.length} stored, ${missing.length} missing or doubled` });
  const approvedRows = approved.size
    ? await queryRows<{ n: string }>(verifier.db, sql`select count(*)::text as n from audit_events where action = 'request.resolved' and request_id in (${sql.join([...approved].map((id) => sql`${id}::uuid`), sql`, `)})`)
    : [{ n: "0" }];
  checks.push({ name: "every approval is in the audit log", ok: Number(approvedRows[0]?.n) === approved.size, detail: `${approved.size} approved, ${approvedRows[0]?.n} request.resolved events` });
  const verdict = await verifyAuditChain(verifier.db);
  checks.push({ name: "the audit chain verifies", ok: verdict.ok, detail: verdict.ok ? `${verdict.events} events` : `broken at ${verdict.firstBad.seq}: ${verdict.firstBad.problem}` });
}

const machine = { cpus: os.availableParallelism(), loadAverage: os.loadavg().map((l) => round(l, 1)) };
if (json) {
  process.stdout.write(`${JSON.stringify({ levels, seconds, machine, results, checks }, null, 2)}\n`);
} else {
  const rows = [["step", "clients", "done", "per s", "p50 ms", "p95 ms", "p99 ms", "errors"]];
  for (const r of results) rows.push([r.step, String(r.level), String(r.completed), String(r.perSecond), String(r.p50), String(r.p95), String(r.p99), r.errors ? `${r.errors} (${Object.entries(r.errorKinds).map(([k, n]) => `${k}: ${n}`).join(", ")})` : "0"]);
  process.stdout.write(`\n${formatTable(rows)}\n\n`);
  for (const c of checks) process.stdout.write(`${c.ok ? "ok  " : "FAIL"}  ${c.name}: ${c.detail}\n`);
  process.stdout.write(`\n${machine.cpus} cores, load average ${machine.loadAverage.join(" / ")}; ${seconds} s a step and level.\n`);
}
await cleanUp();
process.exit(checks.every((c) => c.ok) ? 0 : 1);
