/**
 * The HTTP fuzz run (issue 11, "bad input at every boundary"): the production build on a
 * throwaway PostgreSQL with the demo data, and every page, route handler and server action of
 * the app's route list (tests/support/app-routes.ts) sent malformed, oversized, wrongly typed
 * and hostile requests — SQL and HTML injection, overlong UTF-8, huge bodies, deep JSON — with
 * and without a session, from the portal's own origin and from another site.
 *
 * Asserted by tests/e2e/bad-input.spec.ts (it runs after `npm run build`, as the e2e journeys
 * do): never a 5xx; no change of state on a refused input (the rows a change could touch are
 * counted before and after, and the only audit events a refused input may leave are views,
 * searches, refusals and failed sign-ins); a page in words, never a stack trace.
 *
 * Also runnable on its own:  NEXT_DIST_DIR=.next-x npx tsx tests/integration/fuzz/http-fuzz.ts [--port 3320]
 */
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import path from "node:path";
import { getTableName, is, sql } from "drizzle-orm";
import { PgTable } from "drizzle-orm/pg-core";
import { startNextServer, type NextServer } from "../../../bench/lib/next-server";
import { createDatabase, startPostgresServer, type PostgresServer } from "../../../bench/lib/postgres";
import { signIn } from "../../../bench/lib/http";
import { syncSecurityRoles } from "../../../lib/accounts/sync-security-roles";
import { systemClock } from "../../../lib/clock";
import { getConfig } from "../../../lib/config";
import { migrateDatabase, openDatabase, tables, type DatabaseHandle } from "../../../lib/db";
import { queryRows } from "../../../lib/db/types";
import { seedDemo } from "../../../lib/demo/seed-demo";
import { appRoutes, fillPattern, repoRoot, type AppRoutes } from "../../support/app-routes";
import { freePort } from "../../support/postgres-server";
import { BAD_UTF8, INJECTIONS, deepJsonText } from "../../unit/property/hostile";

export const STAFF = "alex.morgan@council.example.org";
export const LEAD = "priya.shah@meadowbank-care.example.org";

/** Audit events a refused or read-only request may leave: they record looking, not changing. */
export const READ_ONLY_AUDIT_ACTIONS = new Set(["page.viewed", "search.performed", "individual.viewed", "access.refused", "sign_in.failed", "sign_in.locked", "review.report_exported", "audit.printed", "audit.exported"]);

export type Who = "anonymous" | "lead" | "staff";
export interface Probe {
  /** What the probe is for the report: "page /staff/requests/[id]", "action app/reset/actions.ts#askForReset". */
  target: string;
  /** What was sent, in a few words. */
  variant: string;
  who: Who;
  method: string;
  path: string;
  headers?: Record<string, string>;
  body?: BodyInit;
  /** True for probes sent from another site, which must be refused. */
  crossSite?: boolean;
}
export interface ProbeResult extends Probe {
  status: number;
  /** The first lines of a 5xx body, to report. */
  snippet?: string;
  headersOut: Headers;
  text: string;
}

export interface FuzzServer {
  base: string;
  db: DatabaseHandle["db"];
  cookies: Record<Who, string | undefined>;
  routes: AppRoutes;
  /** Server actions of the build: id → file and exported name (from the build's server-reference manifest). */
  actions: { id: string; file: string; name: string; pages: string[] }[];
  /** Real ids for the dynamic segments, so a probe can reach the code behind the page's lookup. */
  params: Record<string, string>;
  stop(): Promise<void>;
}

const DIST = () => process.env.NEXT_DIST_DIR || ".next";

/** The server actions the build registered, read from its manifest. */
export function buildActions(projectDir = repoRoot): FuzzServer["actions"] {
  const file = path.join(projectDir, DIST(), "server", "server-reference-manifest.json");
  const manifest = JSON.parse(readFileSync(file, "utf8")) as { node: Record<string, { workers: Record<string, unknown>; filename?: string; exportedName?: string }> };
  return Object.entries(manifest.node).map(([id, entry]) => ({
    id,
    file: entry.filename ?? "",
    name: entry.exportedName ?? "",
    pages: Object.keys(entry.workers)
      .filter((w) => w.endsWith("/page") && !w.includes("_not-found"))
      .map((w) => w.replace(/^app/, "").replace(/\/page$/, "") || "/"),
  }));
}

/** Starts PostgreSQL and the production build with the demo data; signs the demo staff lead and Lead correspondent in. */
export async function startFuzzServer(options: { port?: number; log?: (line: string) => void } = {}): Promise<FuzzServer> {
  const log = options.log ?? (() => undefined);
  const stops: (() => Promise<void>)[] = [];
  const stop = async () => {
    while (stops.length) await stops.pop()!().catch(() => undefined);
  };
  try {
    const postgres: PostgresServer = await startPostgresServer({ log });
    stops.push(() => postgres.stop());
    const url = await createDatabase(postgres, "portal_fuzz");
    const secretsKey = randomBytes(32);
    const config = getConfig();
    const setup = await openDatabase({ url, poolSize: 2 });
    try {
      await migrateDatabase(setup);
      await syncSecurityRoles(setup.db, config);
      await seedDemo({ db: setup.db, config, clock: systemClock, secretsKey });
    } finally {
      await setup.close();
    }
    const port = options.port ?? (process.env.FUZZ_PORT ? Number(process.env.FUZZ_PORT) : await freePort());
    const base = `http://127.0.0.1:${port}`;
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      PORTAL_CONFIG: "",
      PORTAL_PROFILE: "",
      RESEND_API_KEY: "",
      DATABASE_URL: url,
      PORTAL_SECRETS_KEY: secretsKey.toString("base64"),
      PORTAL_URL: base,
      NODE_ENV: "production",
      PORTAL_JOBS: "off",
      // The cron endpoint is on (so its refusals are exercised); the fuzz never sends the secret.
      CRON_SECRET: randomBytes(24).toString("hex"),
    };
    const server: NextServer = await startNextServer({ port, env, log });
    stops.push(() => server.stop());
    const reader = await openDatabase({ url, poolSize: 3 });
    stops.push(() => reader.close());
    const cookies: FuzzServer["cookies"] = { anonymous: undefined, staff: await signIn(base, STAFF), lead: await signIn(base, LEAD) };
    return { base, db: reader.db, cookies, routes: appRoutes(), actions: buildActions(), params: await sampleParams(reader.db), stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

async function sampleParams(db: DatabaseHandle["db"]): Promise<Record<string, string>> {
  const one = async (query: ReturnType<typeof sql>) => {
    const [row] = await queryRows<{ id: string | null }>(db, query);
    return row?.id ?? "00000000-0000-4000-8000-000000000000";
  };
  return {
    request: await one(sql`select id::text from requests order by number limit 1`),
    organisation: await one(sql`select id::text from organisations where kind = 'provider' order by name limit 1`),
    case: await one(sql`select id::text from organisation_cases limit 1`),
    review: await one(sql`select id::text from access_reviews limit 1`),
    message: await one(sql`select id::text from outbound_messages limit 1`),
    account: await one(sql`select id::text from accounts order by email limit 1`),
  };
}

/**
 * Tables a refused request may still write to: sign-in attempts and their throttle counts
 * (a failed sign-in is recorded, by design) and the sessions' last-seen times.
 */
export const BOOKKEEPING_TABLES = new Set(["sign_in_attempts", "sign_in_throttles", "sessions", "audit_events"]);

/** Row counts of every table of the schema, and the audit events by action. */
export async function footprint(db: DatabaseHandle["db"]): Promise<{ counts: Record<string, number>; audit: Map<string, number> }> {
  const names = Object.values(tables)
    .filter((t) => is(t, PgTable))
    .map((t) => getTableName(t as PgTable))
    .filter((n) => !BOOKKEEPING_TABLES.has(n));
  const counts: Record<string, number> = {};
  for (const name of names) {
    const [row] = await queryRows<{ n: number }>(db, sql.raw(`select count(*)::int as n from "${name}"`));
    counts[name] = row?.n ?? 0;
  }
  const [versions] = await queryRows<{ v: number; s: string | null }>(db, sql`select coalesce(sum(version), 0)::int as v, (select string_agg(status, ',' order by id) from accounts) as s from requests`);
  counts.requestVersions = versions?.v ?? 0;
  counts.accountStatuses = hashText(versions?.s ?? "");
  const audit = new Map<string, number>();
  for (const row of await queryRows<{ action: string; n: number }>(db, sql`select action, count(*)::int as n from audit_events group by action`)) audit.set(row.action, row.n);
  return { counts, audit };
}

function hashText(text: string): number {
  let h = 0;
  for (let i = 0; i < text.length; i++) h = (h * 31 + text.charCodeAt(i)) | 0;
  return h;
}

/** What changed between two footprints: table counts that moved, and audit actions that grew. */
export function changes(before: Awaited<ReturnType<typeof footprint>>, after: Awaited<ReturnType<typeof footprint>>): { tables: string[]; audit: string[] } {
  const tables = Object.keys(after.counts).filter((k) => after.counts[k] !== before.counts[k]);
  const audit = [...after.audit].filter(([action, n]) => n > (before.audit.get(action) ?? 0)).map(([action]) => action);
  return { tables, audit };
}

// ---------------------------------------------------------------------------------------------
// The probes

const LONG = "A".repeat(20_000);
const OVERLONG_PATH = BAD_UTF8.map((b) => [...b].map((x) => `%${x.toString(16).toUpperCase().padStart(2, "0")}`).join("")).join("");
/** Values a dynamic segment gets besides the real id. */
const SEGMENT_VALUES = ["00000000-0000-4000-8000-000000000000", "'%20OR%20'1'%3D'1", "%3Cscript%3Ealert(1)%3C%2Fscript%3E", OVERLONG_PATH, "x".repeat(3000)];
/** Query strings every page gets: the audit search's names and others, hostile values. */
const QUERIES = [
  "",
  `?q=${encodeURIComponent(INJECTIONS[1]!)}&status=${encodeURIComponent("<b>x</b>")}&page=-1`,
  `?person=${encodeURIComponent(INJECTIONS[0]!)}&from=2026-02-31&to=${OVERLONG_PATH}&action=${encodeURIComponent("a.*.*")}&channel=x&page=99999999999999999999&error=%7B%7D&expired=${LONG.slice(0, 4000)}&type[]=a&type[]=b`,
];

function segmentValue(name: string, params: Record<string, string>, i: number): string {
  const real: Record<string, string | undefined> = {
    id: params.request,
    caseId: params.case,
    key: "terms-of-use",
    type: "new_user",
    job: "due",
    token: randomBytes(16).toString("hex"),
  };
  return i === 0 ? (real[name] ?? "x") : SEGMENT_VALUES[(i - 1) % SEGMENT_VALUES.length]!;
}

/** Real ids for a page's [id]: the page's own kind of record. */
function realParams(pattern: string, params: Record<string, string>): Record<string, string> {
  const id = pattern.startsWith("/staff/organisations")
    ? params.organisation
    : pattern.includes("/reviews/")
      ? params.review
      : pattern.startsWith("/staff/outbox")
        ? params.message
        : pattern.startsWith("/staff/audit/accounts")
          ? params.account
          : params.request;
  return { id: id!, caseId: params.case!, key: "terms-of-use", type: "new_user", job: "due", token: randomBytes(16).toString("hex") };
}

function pathsFor(pattern: string, names: readonly string[], params: Record<string, string>): string[] {
  if (names.length === 0) return [pattern];
  const out = [fillPattern(pattern, realParams(pattern, params))];
  for (let i = 1; i <= SEGMENT_VALUES.length; i++) {
    // Pre-encoded values go in raw, so an overlong UTF-8 sequence arrives as bytes.
    out.push("/" + pattern.split("/").filter(Boolean).map((s) => (s.startsWith("[") ? segmentValue(s.replace(/[[\].]/g, ""), params, i) : s)).join("/"));
  }
  return out;
}

const WHO: Who[] = ["anonymous", "lead", "staff"];

/** Who can use a path: signed out always; staff for /staff, a Lead correspondent for /portal, both elsewhere. Keeps the run near two minutes. */
function whoFor(pattern: string): Who[] {
  if (pattern.startsWith("/staff")) return ["anonymous", "staff"];
  if (pattern.startsWith("/portal")) return ["anonymous", "lead"];
  return WHO;
}

export function pageProbes(server: FuzzServer): Probe[] {
  const probes: Probe[] = [];
  for (const page of server.routes.pages) {
    const paths = pathsFor(page.pattern, page.params, server.params);
    for (const who of whoFor(page.pattern)) {
      paths.forEach((p, i) => {
        // Every path variant once, and every query on the real path.
        const queries = i === 0 ? QUERIES : [""];
        for (const q of queries) probes.push({ target: `page ${page.pattern}`, variant: i === 0 ? `query ${QUERIES.indexOf(q)}` : `segment ${i}`, who, method: "GET", path: p + q });
      });
    }
  }
  return probes;
}

/** Bodies for a POST: hostile forms, wrong types, deep and huge. */
export function hostileBodies(): { variant: string; headers?: Record<string, string>; body: BodyInit | undefined }[] {
  const form = (entries: [string, string][]) => {
    const f = new FormData();
    for (const [k, v] of entries) f.append(k, v);
    return f;
  };
  const fieldNames = ["email", "password", "which", "secret", "confirm", "digit", "code", "fullName", "jobTitle", "roleKeys", "purpose", "type", "reason", "note", "body", "action", "decision", "odsCode", "name", "address", "year", "allocation", "messageId", "job", "key", "reviewId", "requestId", "version", "accept"];
  return [
    { variant: "empty", body: undefined },
    { variant: "injection form", body: form(fieldNames.map((n, i) => [n, INJECTIONS[i % INJECTIONS.length]!])) },
    { variant: "markup form", body: form(fieldNames.map((n) => [n, '"><svg onload=alert(1)>'])) },
    { variant: "overlong UTF-8 urlencoded", headers: { "content-type": "application/x-www-form-urlencoded" }, body: fieldNames.map((n) => `${n}=${OVERLONG_PATH}`).join("&") },
    { variant: "raw invalid UTF-8", headers: { "content-type": "application/x-www-form-urlencoded" }, body: Buffer.concat([Buffer.from("email="), ...BAD_UTF8]) },
    { variant: "wrong types (JSON)", headers: { "content-type": "application/json" }, body: JSON.stringify({ email: [1, 2], password: { $gt: "" }, roleKeys: null, year: 1e400, __proto__: { admin: true } }) },
    { variant: "deep JSON", headers: { "content-type": "application/json" }, body: deepJsonText(50_000) },
    { variant: "deep JSON as text/plain", headers: { "content-type": "text/plain;charset=UTF-8" }, body: deepJsonText(50_000) },
    { variant: "huge field (3 MB)", body: form([["email", "a".repeat(3 * 1024 * 1024)]]) },
    { variant: "broken multipart", headers: { "content-type": "multipart/form-data; boundary=XYZ" }, body: "--XYZ\r\nContent-Disposition: form-data; name=\"email\"\r\n\r\nunterminated" },
    { variant: "many fields", body: form(Array.from({ length: 5000 }, (_, i) => [`f${i}`, "x"])) },
    { variant: "file where text is expected", body: (() => { const f = new FormData(); f.append("email", new Blob([Uint8Array.from([0xd0, 0xcf, 0x11, 0xe0, 0, 0, 0])]), "x.xls"); f.append("file", new Blob([LONG]), "x.csv"); return f; })() },
  ];
}

/**
 * Server-action bodies as React sends them when called from the browser (the Next-Action
 * header), with the arguments of the wrong shape: a string where the FormData goes, objects
 * where bound ids go, too few and too many.
 */
function actionArgumentBodies(): { variant: string; headers?: Record<string, string>; body: BodyInit }[] {
  const encoded = (args: unknown[]) => ({ headers: { "content-type": "text/plain;charset=UTF-8" }, body: JSON.stringify(args) });
  return [
    { variant: "args: none", ...encoded([]) },
    { variant: "args: strings", ...encoded(["' OR 1=1 --", "<script>", "x"]) },
    { variant: "args: objects", ...encoded([{ id: "x" }, { ok: true, fieldErrors: {} }, { email: "a@b" }]) },
    { variant: "args: numbers and nulls", ...encoded([null, 1e308, -1, true]) },
    { variant: "args: forged references", ...encoded(["$K1", "$Q2", "$@3", "$T", "$h"]) },
  ];
}

export function actionProbes(server: FuzzServer): Probe[] {
  const probes: Probe[] = [];
  for (const action of server.actions) {
    const hosts = action.pages.length ? action.pages : ["/"];
    const host = hosts[0]!;
    const routePattern = server.routes.pages.find((p) => p.pattern === host);
    const hostPath = routePattern ? fillPattern(routePattern.pattern, realParams(routePattern.pattern, server.params)) : host;
    const target = `action ${action.file}#${action.name}`;
    // An action that takes no input (sign out, open reviews now) has nothing to refuse: a signed-in
    // call is a real use. Those get the anonymous and cross-site probes only.
    const takesInput = !new RegExp(`export\\s+async\\s+function\\s+${action.name}\\s*\\(\\s*\\)`).test(readFileSync(path.join(repoRoot, action.file), "utf8"));
    for (const who of takesInput ? whoFor(host) : (["anonymous"] as Who[])) {
      for (const b of [...hostileBodies(), ...actionArgumentBodies()]) {
        probes.push({ target, variant: b.variant, who, method: "POST", path: hostPath, headers: { "next-action": action.id, ...b.headers }, body: b.body });
      }
      // The no-JavaScript form post: the action's id in the form, hostile values, and a forged bound-argument reference.
      const noJs = new FormData();
      noJs.append(`$ACTION_ID_${action.id}`, "");
      for (const name of ["email", "reason", "note", "body"]) noJs.append(name, INJECTIONS[1]!);
      probes.push({ target, variant: "no-JS form", who, method: "POST", path: hostPath, body: noJs });
      const forged = new FormData();
      forged.append("$ACTION_REF_1", "");
      forged.append("$ACTION_1:0", JSON.stringify({ id: action.id, bound: "$@1" }));
      forged.append("$ACTION_1:1", JSON.stringify([{ hostile: true }, "' OR 1=1"]));
      probes.push({ target, variant: "no-JS form, forged bound arguments", who, method: "POST", path: hostPath, body: forged });
    }
    // From another site, with the staff session: must be refused before the action runs.
    const cross = new FormData();
    cross.append("reason", "cross-site");
    probes.push({ target, variant: "cross-site (Origin: evil)", who: "staff", method: "POST", path: hostPath, headers: { "next-action": action.id, origin: "https://evil.example", "sec-fetch-site": "cross-site" }, body: cross, crossSite: true });
  }
  // Action ids that do not exist.
  for (const id of ["0".repeat(42), "not-an-action", INJECTIONS[1]!, LONG.slice(0, 5000)]) {
    probes.push({ target: "action (unknown id)", variant: id.slice(0, 20), who: "staff", method: "POST", path: "/staff", headers: { "next-action": encodeURIComponent(id) }, body: "[]" });
  }
  return probes;
}

export function handlerProbes(server: FuzzServer): Probe[] {
  const probes: Probe[] = [];
  for (const handler of server.routes.handlers) {
    const paths = pathsFor(handler.pattern, handler.params, server.params);
    const target = `route ${handler.pattern}`;
    for (const who of whoFor(handler.pattern)) {
      for (const p of paths) for (const q of QUERIES) if (handler.methods.includes("GET")) probes.push({ target, variant: `GET ${q ? "hostile query" : ""}`, who, method: "GET", path: p + q });
      for (const method of ["POST", "PUT", "PATCH", "DELETE"]) {
        // Every hostile body for the methods it takes; one for the others (405).
        for (const b of handler.methods.includes(method as never) ? hostileBodies() : hostileBodies().slice(1, 2)) {
          probes.push({ target, variant: `${method} ${b.variant}`, who, method, path: paths[0]!, headers: { origin: server.base, "sec-fetch-site": "same-origin", authorization: "Bearer ' OR 1=1 --", ...b.headers }, body: b.body });
        }
      }
    }
    if (handler.mutating) {
      for (const method of handler.methods.filter((m) => ["POST", "PUT", "PATCH", "DELETE"].includes(m))) {
        const form = new FormData();
        form.append("email", "victim@nhs.net");
        probes.push({ target, variant: `${method} cross-site`, who: "staff", method, path: paths[0]!, headers: { origin: "https://evil.example", "sec-fetch-site": "cross-site" }, body: form, crossSite: true });
        probes.push({ target, variant: `${method} Origin: null`, who: "staff", method, path: paths[0]!, headers: { origin: "null" }, body: form, crossSite: true });
      }
    }
  }
  return probes;
}

export async function send(server: FuzzServer, probe: Probe): Promise<ProbeResult> {
  const headers: Record<string, string> = { ...(probe.who !== "anonymous" && server.cookies[probe.who] ? { cookie: server.cookies[probe.who]! } : {}), ...probe.headers };
  if (probe.method !== "GET" && !headers.origin) headers.origin = server.base;
  let response: Response;
  try {
    response = await fetch(`${server.base}${probe.path}`, { method: probe.method, headers, body: probe.method === "GET" ? undefined : probe.body, redirect: "manual", signal: AbortSignal.timeout(30_000) });
  } catch (error) {
    // The server dropped the connection: as bad as a 500 for a person.
    return { ...probe, status: 599, snippet: `no response: ${(error as Error).message}`, headersOut: new Headers(), text: "" };
  }
  const text = await response.text().catch(() => "");
  return { ...probe, status: response.status, snippet: response.status >= 500 ? text.slice(0, 300) : undefined, headersOut: response.headers, text };
}

/** Sends probes a few at a time (the server has two cores to share). */
export async function sendAll(server: FuzzServer, probes: Probe[], concurrency = 4): Promise<ProbeResult[]> {
  const results: ProbeResult[] = new Array(probes.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < probes.length) {
        const i = next++;
        results[i] = await send(server, probes[i]!);
      }
    }),
  );
  return results;
}

/** Text that must never reach a person: a stack trace or a raw exception. */
export function leaksFault(text: string): string | null {
  const m = /(\n\s+at .+\(.+:\d+:\d+\))|(TypeError: )|(ReferenceError: )|(ZodError)|(Cannot read properties of)|(syntax error at or near)|(DrizzleQueryError)|(duplicate key value)/.exec(text);
  return m ? m[0].trim().slice(0, 120) : null;
}

// Run on its own: prints a summary.
if (process.argv[1] && import.meta.url === new URL(`file://${path.resolve(process.argv[1])}`).href) {
  const i = process.argv.indexOf("--port");
  const server = await startFuzzServer({ port: i > 0 ? Number(process.argv[i + 1]) : undefined, log: (l) => process.stderr.write(`${l}\n`) });
  try {
    const probes = [...pageProbes(server), ...handlerProbes(server), ...actionProbes(server)];
    const started = Date.now();
    const results = await sendAll(server, probes);
    const bad = results.filter((r) => r.status >= 500);
    console.log(`${results.length} requests in ${Math.round((Date.now() - started) / 1000)} s; ${bad.length} answered 5xx`);
    const groups = new Map<string, number>();
    for (const r of bad) {
      const key = `${r.target.split(" ")[0]} [${r.variant}] ${r.who}`;
      groups.set(key, (groups.get(key) ?? 0) + 1);
    }
    for (const [key, n] of [...groups].sort((a, b) => b[1] - a[1])) console.log(`${n}\t${key}`);
    if (process.argv.includes("--verbose")) for (const r of bad) console.log(`${r.status} ${r.who} ${r.method} ${r.target} [${r.variant}] ${r.path.slice(0, 80)} :: ${(r.snippet ?? "").replace(/\s+/g, " ").slice(0, 160)}`);
  } finally {
    await server.stop();
  }
}
