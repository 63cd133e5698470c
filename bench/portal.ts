/**
 * bench/portal — provider functions on a large portal (issue 10).
 *
 *   NEXT_DIST_DIR=.next-x npm run build && NEXT_DIST_DIR=.next-x npm run bench:portal -- [--scale 1] [--rounds 40] [--port 3284] [--json]
 *
 * Starts a throwaway PostgreSQL 15, migrates it, seeds the demo (whose care data comes in
 * through the feed importer) and loads, at scale 1, 1,000 provider organisations with 200 care
 * packages each: 200,000 individuals, packages and purchase orders and 1,000,000 line items
 * (five an order), plus one Meadowbank order of 5,000 lines. The data goes straight in with
 * INSERT … SELECT generate_series (the importer's per-row report is not what is measured).
 * Then the production build (`next start`) serves it; the demo Care coordinator signs in over
 * HTTP and each page is fetched `--rounds` times after warm-up, one request at a time, taken in
 * turn: the purchase-order list, the list searched, and the 5,000-line CSV export, against GET
 * /account of the same person in the same run. Target: the list's median ≤ 3 × the baseline's.
 *
 * Prints a table (or one JSON document with --json); exits non-zero on errors only, never on a
 * missed target. The server and PostgreSQL are removed at the end, also on failure or Ctrl-C.
 */
import { randomBytes } from "node:crypto";
import os from "node:os";
import { eq, sql } from "drizzle-orm";
import { syncSecurityRoles } from "../lib/accounts/sync-security-roles";
import { systemClock } from "../lib/clock";
import { getConfig } from "../lib/config";
import { migrateDatabase, openDatabase } from "../lib/db";
import { organisations } from "../lib/db/schema/organisations";
import { queryRows } from "../lib/db/types";
import { seedDemo } from "../lib/demo/seed-demo";
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
const scale = option("--scale", 1);
const rounds = Math.round(option("--rounds", 40));
/** The Next server's port (PostgreSQL takes a free loopback port of its own). */
const serverPort = Math.round(option("--port", 3284));
const warmUp = 5;
const LIST_TARGET = 3;
const COORDINATOR = "amina.okafor@meadowbank-care.example.org";
const PACKAGES_PER_ORG = 200;
const LINES_PER_ORDER = 5;
const BIG_ORDER_LINES = 5_000;

interface PageSpec {
  name: string;
  path: string;
  marker: string;
  baseline?: string;
}

interface PageResult {
  name: string;
  path: string;
  medianMs: number;
  p95Ms: number;
  bytes: number;
  medianRatio?: number;
  p95Ratio?: number;
  target?: number;
  met?: boolean;
}

/** Loads the bench's organisations, people, packages, orders and lines in a few set-based statements. */
async function loadCareData(url: string, meadowbankId: string): Promise<{ organisations: number; orders: number; lines: number; bigOrderId: string }> {
  const handle = await openDatabase({ url, poolSize: 1 });
  const db = handle.db;
  const orgCount = Math.max(1, Math.round(1_000 * scale)) - 1; // plus Meadowbank
  try {
    await db.execute(sql`
      insert into organisations (ods_code, name, kind, type, status)
      select 'BP' || lpad(g::text, 4, '0'), 'Bench Provider ' || g, 'provider', 'domiciliary_care', 'active'
      from generate_series(1, ${orgCount}) g`);
    await db.execute(sql`create temporary table bench_orgs as
      select id, row_number() over (order by id) as n from organisations where ods_code like 'BP%' or id = ${meadowbankId}::uuid`);
    log(`  ${orgCount + 1} organisations`);
    await db.execute(sql`
      insert into individuals (source_id, full_name, date_of_birth)
      select 'B-IND-' || o.n || '-' || p, 'Person ' || o.n || ' ' || p, date '1940-01-01' + (p * 37 % 9000)
      from bench_orgs o, generate_series(1, ${PACKAGES_PER_ORG}) p`);
    log("  individuals");
    // One package in ten has ended: half of those long ago (out of need to know), half lately.
    await db.execute(sql`
      insert into care_packages (source_id, organisation_id, individual_id, service, start_date, end_date, status, payments_visible)
      select 'B-PKG-' || o.n || '-' || p, o.id, i.id, 'Home care — personal care', current_date - 400,
             case when p % 10 = 0 then current_date - (case when p % 20 = 0 then 200 else 20 end) end,
             case when p % 10 = 0 then 'ended' else 'active' end, p % 3 <> 0
      from bench_orgs o cross join generate_series(1, ${PACKAGES_PER_ORG}) p
      join individuals i on i.source_id = 'B-IND-' || o.n || '-' || p`);
    log("  care packages");
    await db.execute(sql`
      insert into purchase_orders (source_id, organisation_id, care_package_id, number, status, period_from, period_to, total_pence, line_count)
      select 'B-' || c.source_id, c.organisation_id, c.id, 'BPO' || substr(c.source_id, 7), case when c.status = 'ended' then 'closed' else 'live' end,
             current_date - 28, current_date - 1, ${LINES_PER_ORDER} * 34300, ${LINES_PER_ORDER}
      from care_packages c where c.source_id like 'B-PKG-%'`);
    log("  purchase orders");
    await db.execute(sql`
      insert into purchase_order_lines (source_id, purchase_order_id, service, units, unit, rate_pence, period_from, period_to, cost_pence)
      select po.source_id || '-L' || l, po.id, 'Home care — personal care', 14, 'hour', 2450, current_date - 28 + (l - 1) * 5, current_date - 24 + (l - 1) * 5, 34300
      from purchase_orders po cross join generate_series(1, ${LINES_PER_ORDER}) l where po.source_id like 'B-%'`);
    log("  line items");
    // Meadowbank's biggest order: 5,000 lines, for the export.
    const [big] = await queryRows<{ id: string }>(
      db,
      sql`select po.id from purchase_orders po join care_packages c on c.id = po.care_package_id
          where po.organisation_id = ${meadowbankId}::uuid and c.status = 'active' and po.source_id like 'B-%' order by po.source_id limit 1`,
    );
    await db.execute(sql`
      insert into purchase_order_lines (source_id, purchase_order_id, service, units, unit, rate_pence, period_from, period_to, cost_pence)
      select 'B-BIG-' || l, ${big!.id}::uuid, 'Home care — visit ' || l, 1, 'visit', 2450, current_date - 28 + (l % 28), current_date - 28 + (l % 28), 2450
      from generate_series(1, ${BIG_ORDER_LINES - LINES_PER_ORDER}) l`);
    await db.execute(sql`update purchase_orders set line_count = ${BIG_ORDER_LINES}, total_pence = (select sum(cost_pence) from purchase_order_lines where purchase_order_id = ${big!.id}::uuid) where id = ${big!.id}::uuid`);
    await db.execute(sql`analyze`);
    const [counts] = await queryRows<{ orders: number; lines: number }>(db, sql`select (select count(*) from purchase_orders)::int as orders, (select count(*) from purchase_order_lines)::int as lines`);
    return { organisations: orgCount + 1, orders: counts!.orders, lines: counts!.lines, bigOrderId: big!.id };
  } finally {
    await handle.close();
  }
}

async function timePages(base: string, cookie: string, pages: PageSpec[]): Promise<PageResult[]> {
  const samples = new Map<string, number[]>(pages.map((p) => [p.name, []]));
  const bytes = new Map<string, number>();
  const fetchOnce = async (page: PageSpec): Promise<number> => {
    const started = performance.now();
    const response = await fetch(`${base}${page.path}`, { headers: { cookie }, redirect: "manual" });
    const body = await response.text();
    const elapsed = performance.now() - started;
    if (response.status !== 200) throw new Error(`GET ${page.path} answered ${response.status} ${response.headers.get("location") ?? ""}`);
    if (!body.includes(page.marker)) throw new Error(`GET ${page.path} did not show ${page.marker}`);
    bytes.set(page.name, body.length);
    return elapsed;
  };
  for (let r = 0; r < warmUp; r += 1) for (const page of pages) await fetchOnce(page);
  for (let r = 0; r < rounds; r += 1) {
    for (const page of pages) samples.get(page.name)!.push(await fetchOnce(page));
    if ((r + 1) % 10 === 0) log(`  round ${r + 1} of ${rounds}`);
  }
  const results: PageResult[] = pages.map((page) => {
    const times = samples.get(page.name)!;
    return { name: page.name, path: page.path, medianMs: median(times), p95Ms: percentile(times, 95), bytes: bytes.get(page.name) ?? 0 };
  });
  const baseline = results[0]!;
  for (const [i, result] of results.entries()) {
    if (!pages[i]!.baseline) continue;
    result.medianRatio = round(result.medianMs / baseline.medianMs, 2);
    result.p95Ratio = round(result.p95Ms / baseline.p95Ms, 2);
    if (result.path.startsWith("/portal/purchase-orders?") || result.path === "/portal/purchase-orders") {
      result.target = LIST_TARGET;
      result.met = result.medianRatio <= LIST_TARGET;
    }
  }
  return results.map((r) => ({ ...r, medianMs: round(r.medianMs, 1), p95Ms: round(r.p95Ms, 1) }));
}

async function main(): Promise<void> {
  const startedAt = new Date();
  const loadAtStart = round(os.loadavg()[0]!, 1);
  const baseEnv: NodeJS.ProcessEnv = { ...process.env, PORTAL_CONFIG: "", PORTAL_PROFILE: "", RESEND_API_KEY: "" };
  process.env.PORTAL_CONFIG = "";
  process.env.PORTAL_PROFILE = "";
  const config = getConfig();
  const secretsKey = randomBytes(32);

  log(`Starting PostgreSQL (scale ${scale}) …`);
  const postgres: PostgresServer = await startPostgresServer({ log });
  onCleanUp(() => postgres.stop());
  const url = await createDatabase(postgres, "portal_bench");
  const env: NodeJS.ProcessEnv = { ...baseEnv, DATABASE_URL: url, PORTAL_SECRETS_KEY: secretsKey.toString("base64"), NODE_ENV: "production", PORTAL_JOBS: "off" };

  log("Migrating and seeding the demo …");
  const handle = await openDatabase({ url, poolSize: 2 });
  let meadowbankId: string;
  try {
    await migrateDatabase(handle);
    await syncSecurityRoles(handle.db, config);
    await seedDemo({ db: handle.db, config, clock: systemClock, secretsKey });
    const [meadowbank] = await handle.db.select({ id: organisations.id }).from(organisations).where(eq(organisations.odsCode, "AB1C2"));
    meadowbankId = meadowbank!.id;
  } finally {
    await handle.close();
  }

  log("Loading care data …");
  const loadStarted = performance.now();
  const data = await loadCareData(url, meadowbankId);
  const loadSeconds = round((performance.now() - loadStarted) / 1000, 1);
  log(`Loaded ${data.orders.toLocaleString("en-GB")} purchase orders and ${data.lines.toLocaleString("en-GB")} line items in ${loadSeconds} s.`);

  log("Starting the production build (next start) …");
  const port = serverPort;
  const base = `http://127.0.0.1:${port}`;
  const server: NextServer = await startNextServer({ port, env: { ...env, PORTAL_URL: base }, snapshot: true });
  onCleanUp(() => server.stop());

  log("Signing in (Care coordinator) …");
  const cookie = await signIn(base, COORDINATOR);
  const baseline = "baseline: GET /account";
  const pages: PageSpec[] = [
    { name: baseline, path: "/account", marker: "Your account" },
    { name: "purchase-order list (live)", path: "/portal/purchase-orders", marker: 'data-testid="purchase-orders"', baseline },
    { name: "purchase-order list, all statuses, page 3", path: "/portal/purchase-orders?status=all&page=3", marker: 'data-testid="purchase-orders"', baseline },
    { name: "purchase-order list searched", path: "/portal/purchase-orders?q=Person&status=all", marker: 'data-testid="purchase-orders"', baseline },
    { name: `CSV export, ${BIG_ORDER_LINES.toLocaleString("en-GB")} lines`, path: `/portal/purchase-orders/${data.bigOrderId}/export`, marker: "Purchase order,Line ID", baseline },
  ];
  log(`Timing ${pages.length} pages, ${rounds} rounds …`);
  const results = await timePages(base, cookie, pages);

  const report = {
    bench: "portal",
    startedAt: startedAt.toISOString(),
    scale,
    rounds,
    machine: { cpus: os.cpus().length, loadAtStart, loadAtEnd: round(os.loadavg()[0]!, 1) },
    data: { ...data, loadSeconds },
    pages: results,
  };
  if (json) {
    process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  } else {
    process.stdout.write(
      `${formatTable([
        ["page", "median ms", "p95 ms", "median ×", "p95 ×", "target", "bytes"],
        ...results.map((r) => [r.name, String(r.medianMs), String(r.p95Ms), r.medianRatio === undefined ? "" : String(r.medianRatio), r.p95Ratio === undefined ? "" : String(r.p95Ratio), r.target === undefined ? "" : `≤ ${r.target}× ${r.met ? "met" : "MISSED"}`, String(r.bytes)]),
      ])}\n` + `${data.organisations} organisations, ${data.orders.toLocaleString("en-GB")} purchase orders, ${data.lines.toLocaleString("en-GB")} line items; load average ${loadAtStart} → ${report.machine.loadAtEnd} on ${report.machine.cpus} CPUs\n`,
    );
  }
}

main()
  .catch((error: unknown) => {
    log(error instanceof Error ? (error.stack ?? error.message) : String(error));
    process.exitCode = 1;
  })
  .finally(() => cleanUp());
