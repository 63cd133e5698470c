import { randomBytes, randomUUID } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { expect, test } from "@playwright/test";
import { eq, sql } from "drizzle-orm";
import { PDFDocument } from "pdf-lib";
import { signIn } from "../../bench/lib/http";
import { startNextServer, type NextServer } from "../../bench/lib/next-server";
import { createDatabase, startPostgresServer, type PostgresServer } from "../../bench/lib/postgres";
import { syncSecurityRoles } from "../../lib/accounts/sync-security-roles";
import { grantsFor, loadViewer, type Viewer } from "../../lib/auth/permissions";
import { systemClock } from "../../lib/clock";
import { getConfig, type AccessLevel, type InformationKind } from "../../lib/config";
import { saveContact } from "../../lib/contacts/save-contact";
import { publishContract } from "../../lib/contracts/publish-contract";
import { migrateDatabase, openDatabase, tables, type DatabaseHandle } from "../../lib/db";
import { seedDemo } from "../../lib/demo/seed-demo";
import { providerFunctions, staffFunctions } from "../../lib/navigation/navigation";
import { openQuery, sendOperatorMessage } from "../../lib/queries/open-query";
import { appRoutes, fillPattern } from "../support/app-routes";
import { freePort, postgresAvailability } from "../support/postgres-server";

/*
 * Issue 10's authorization matrix, generated from the app's own route list
 * (tests/support/app-routes.ts): every page and every GET route handler × every demo role
 * (Lead correspondent, Finance, Care coordinator, Read only; brokerage officer, team lead,
 * auditor) × the viewer's own organisation and another one × signed out, on PostgreSQL and on
 * the embedded database. Each runs against the production build (NEXT_DIST_DIR) on a database
 * this file seeds, so it knows the ids of records of both organisations.
 *
 * What is asserted:
 * - never a 5xx, and no 404 or refusal carries a stack trace or a database message;
 * - signed out, every page that is not public sends the person to sign in (or 404s);
 * - the provider functions and back-office tools (lib/navigation: the menu's own table) and
 *   their record pages answer 200 exactly when the role's grants reach them, and 404 when not
 *   (AUP-5.1d, UAP-2.3) — so the menu and the server agree;
 * - a record of another organisation is a 404 for every provider role, even the roles that
 *   reach their own organisation's (AUP-5.2d).
 */

const postgres = postgresAvailability();
const ci = process.env.CI === "true" || process.env.CI === "1";
test.describe.configure({ mode: "serial" });

const OWN_ODS = "AB1C2"; // Meadowbank Care: the demo's active provider
const OTHER_ODS = "RV4D5"; // Riverside: another provider

const people = {
  lead: "priya.shah@meadowbank-care.example.org",
  finance: "tom.baker@meadowbank-care.example.org",
  coordinator: "amina.okafor@meadowbank-care.example.org",
  readOnly: "lee.jones@meadowbank-care.example.org", // suspended in the demo: reinstated here
  officer: "sam.patel@council.example.org",
  teamLead: "alex.morgan@council.example.org",
  auditor: "chris.evans@council.example.org",
} as const;
type Who = keyof typeof people | "anonymous";

/** Pages anyone may open signed out. */
const PUBLIC = /^\/(|sign-in(\/.*)?|sign-out|reset(\/.*)?|set-up\/.*|privacy|cookies|policies(\/.*)?|accessibility|api\/health|api\/ready)$/;

/** Record pages of the provider functions: the grant each needs, and which record fills [id]. */
const recordRoutes: Record<string, { audience: "provider" | "operator"; kind: InformationKind; level: AccessLevel; record: "contract" | "query" | "contact"; maybe404?: boolean }> = {
  "/portal/contacts/[id]": { audience: "provider", kind: "contacts", level: "edit", record: "contact" },
  "/portal/queries/[id]": { audience: "provider", kind: "queries", level: "read", record: "query" },
  "/portal/contracts/[id]": { audience: "provider", kind: "contracts", level: "read", record: "contract" },
  "/portal/contracts/[id]/sign": { audience: "provider", kind: "contracts", level: "edit", record: "contract" },
  "/portal/contracts/[id]/document": { audience: "provider", kind: "contracts", level: "read", record: "contract" },
  // Only a signed contract has a signature page: the published one answers 404 to everyone.
  "/portal/contracts/[id]/signature-page": { audience: "provider", kind: "contracts", level: "read", record: "contract", maybe404: true },
  "/staff/contracts/[id]": { audience: "operator", kind: "organisations", level: "read", record: "contract" },
  "/staff/contracts/[id]/document": { audience: "operator", kind: "organisations", level: "read", record: "contract" },
  "/staff/queries/[id]": { audience: "operator", kind: "requests", level: "read", record: "query" },
};
/** Static pages of the provider functions beyond the menu's entries. */
const staticRoutes: Record<string, { audience: "provider" | "operator"; kind: InformationKind; level: AccessLevel }> = {
  ...Object.fromEntries(providerFunctions.map((f) => [f.href, { audience: "provider" as const, ...f.requires! }])),
  ...Object.fromEntries(staffFunctions.map((f) => [f.href, { audience: "operator" as const, ...f.requires! }])),
  "/portal/contacts/new": { audience: "provider", kind: "contacts", level: "edit" },
  "/portal/contacts/message": { audience: "provider", kind: "contacts", level: "read" },
  "/portal/queries/new": { audience: "provider", kind: "queries", level: "edit" },
  "/staff/contracts/new": { audience: "operator", kind: "organisations", level: "edit" },
};

interface World {
  base: string;
  cookies: Record<Exclude<Who, "anonymous">, string>;
  viewers: Record<Exclude<Who, "anonymous">, Pick<Viewer, "audience" | "grants">>;
  ids: Record<"own" | "other", Record<"contract" | "query" | "contact", string>>;
  stop(): Promise<void>;
}

/** Seeds the demo plus one contract, query and contact for each of two organisations; returns their ids. */
async function seed(handle: DatabaseHandle, secretsKey: Buffer): Promise<World["ids"]> {
  const config = getConfig();
  const db = handle.db;
  await migrateDatabase(handle);
  await syncSecurityRoles(db, config);
  await seedDemo({ db, config, clock: systemClock, secretsKey });
  await db.update(tables.accounts).set({ status: "active" }).where(eq(tables.accounts.email, people.readOnly));
  const orgId = async (ods: string) => (await db.select({ id: tables.organisations.id }).from(tables.organisations).where(eq(tables.organisations.odsCode, ods)))[0]!.id;
  const [own, other] = [await orgId(OWN_ODS), await orgId(OTHER_ODS)];
  const [person] = await db.insert(tables.individuals).values({ sourceId: "MATRIX-IND", fullName: "Matrix Person" }).returning();
  const [otherPackage] = await db
    .insert(tables.carePackages)
    .values({ sourceId: "MATRIX-PKG", organisationId: other, individualId: person!.id, service: "Home care", startDate: "2026-01-01" })
    .returning();
  const [ownPackage] = await db.select().from(tables.carePackages).where(eq(tables.carePackages.organisationId, own)).limit(1);
  const [ownPerson] = await db.select().from(tables.individuals).where(eq(tables.individuals.id, ownPackage!.individualId));
  const account = async (email: string) => (await db.select().from(tables.accounts).where(sql`lower(${tables.accounts.email}) = ${email}`))[0]!;
  const staffAccount = await account(people.teamLead);
  const staff = (await loadViewer(db, config, { accountId: staffAccount.id, sessionId: "matrix" }))!;
  const leadAccount = await account(people.lead);
  const lead = (await loadViewer(db, config, { accountId: leadAccount.id, sessionId: "matrix" }))!;
  const actorOf = (v: Viewer) => ({ accountId: v.accountId, label: v.fullName, channel: "system" as const });
  const pdf = await PDFDocument.create();
  pdf.addPage().drawText("Matrix contract");
  const bytes = await pdf.save();
  const ids = { own: {}, other: {} } as World["ids"];
  for (const [side, organisationId, pkg] of [
    ["own", own, ownPackage!],
    ["other", other, otherPackage!],
  ] as const) {
    const viewer = { ...lead, organisationId };
    const { contractId } = await publishContract({ db, actor: actorOf(staff), clock: systemClock, viewer: staff, input: { carePackageRef: pkg.sourceId, title: `Matrix ${side}` }, file: { name: "m.pdf", bytes } });
    const { contactId } = await saveContact({ db, actor: actorOf(lead), clock: systemClock, viewer, input: { role: "finance", roleLabel: "", fullName: `Matrix ${side}`, jobTitle: "", email: "matrix@example.org", phone: "", availability: "" } });
    const { queryId } =
      side === "own"
        ? await openQuery({ db, actor: actorOf(lead), clock: systemClock, config, viewer, input: { topic: "individual", individualId: ownPerson!.id, subject: "Matrix", body: "Matrix" } })
        : await sendOperatorMessage({ db, actor: actorOf(lead), clock: systemClock, config, viewer, input: { subject: "Matrix", body: "Matrix" } });
    ids[side] = { contract: contractId, contact: contactId, query: queryId };
  }
  return ids;
}

async function startWorld(kind: "postgres" | "pglite"): Promise<World> {
  const stops: (() => Promise<void>)[] = [];
  const stop = async () => {
    while (stops.length) await stops.pop()!().catch(() => undefined);
  };
  try {
    const secretsKey = randomBytes(32);
    const env: NodeJS.ProcessEnv = { ...process.env, PORTAL_CONFIG: "", PORTAL_PROFILE: "", RESEND_API_KEY: "", PORTAL_SECRETS_KEY: secretsKey.toString("base64"), NODE_ENV: "production", PORTAL_JOBS: "off" };
    let ids: World["ids"];
    if (kind === "postgres") {
      const server: PostgresServer = await startPostgresServer({});
      stops.push(() => server.stop());
      const url = await createDatabase(server, "portal_matrix");
      const handle = await openDatabase({ url, poolSize: 2 });
      ids = await seed(handle, secretsKey).finally(() => handle.close());
      env.DATABASE_URL = url;
    } else {
      const dir = await mkdtemp(path.join(tmpdir(), "portal-matrix-"));
      stops.push(() => rm(dir, { recursive: true, force: true }));
      const dataDir = path.join(dir, "data");
      const handle = await openDatabase({ dataDir });
      ids = await seed(handle, secretsKey).finally(() => handle.close());
      delete env.DATABASE_URL;
      env.PORTAL_DATA_DIR = dataDir;
    }
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    env.PORTAL_URL = base;
    const server: NextServer = await startNextServer({ port, env });
    stops.push(() => server.stop());
    const cookies = {} as World["cookies"];
    const viewers = {} as World["viewers"];
    const config = getConfig();
    const roles: Record<Exclude<Who, "anonymous">, string[]> = {
      lead: ["lead_correspondent"],
      finance: ["finance"],
      coordinator: ["care_coordinator"],
      readOnly: ["read_only"],
      officer: ["brokerage_officer"],
      teamLead: ["team_lead"],
      auditor: ["auditor"],
    };
    for (const [who, email] of Object.entries(people) as [Exclude<Who, "anonymous">, string][]) {
      cookies[who] = await signIn(base, email);
      viewers[who] = { audience: who === "officer" || who === "teamLead" || who === "auditor" ? "operator" : "provider", grants: grantsFor(config, roles[who]) };
    }
    return { base, cookies, viewers, ids, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

const reaches = (viewer: Pick<Viewer, "audience" | "grants"> | null, need: { audience: string; kind: InformationKind; level: AccessLevel }) => {
  if (!viewer || viewer.audience !== need.audience) return false;
  const held = viewer.grants[need.kind];
  return held === "edit" || (held === "read" && need.level === "read");
};

/** A 404 or refusal must say nothing about the system. */
const LEAK = /at \w+ \(|node_modules|\bSELECT\b|\bsyntax error\b|duplicate key|violates|ECONNREFUSED|TypeError|ReferenceError/;

for (const kind of ["postgres", "pglite"] as const) {
  test.describe(`authorization matrix on ${kind}`, () => {
    test.skip(kind === "postgres" && !postgres.ok && !ci, `PostgreSQL server binaries missing: ${postgres.ok ? "" : postgres.reason}`);
    let world: World;
    test.beforeAll(async () => {
      test.setTimeout(240_000);
      world = await startWorld(kind);
    });
    test.afterAll(async () => {
      await world?.stop();
    });

    test("AUP-5.1d AUP-5.2d UAP-2.3 every page and route handler × every role × own and other organisation × signed out: allowed or 404, never a leak, never a 5xx", async () => {
      test.setTimeout(480_000);
      const routes = appRoutes();
      const targets = [...routes.pages.map((p) => p.pattern), ...routes.handlers.filter((h) => h.methods.includes("GET") && !h.pattern.startsWith("/api/cron") && !h.pattern.startsWith("/api/auth")).map((h) => h.pattern)];
      const problems: string[] = [];
      const checked = { allowed: 0, refused: 0, other: 0 };
      const jobs: (() => Promise<void>)[] = [];
      for (const pattern of targets) {
        const record = recordRoutes[pattern];
        const fixed = staticRoutes[pattern];
        const orgs: ("own" | "other" | "none")[] = record ? ["own", "other"] : ["none"];
        for (const org of orgs) {
          const url = record ? fillPattern(pattern, { id: world.ids[org as "own" | "other"][record.record] }) : pattern.includes("[") ? fillPattern(pattern, Object.fromEntries([...pattern.matchAll(/\[\.*(\w+)\]+/g)].map((m) => [m[1]!, randomUUID()]))) : pattern;
          for (const who of ["anonymous", ...Object.keys(people)] as Who[]) {
            jobs.push(async () => {
              const response = await fetch(world.base + url, { redirect: "manual", headers: who === "anonymous" ? {} : { cookie: world.cookies[who] } });
              const text = response.status === 200 && (response.headers.get("content-type") ?? "").includes("pdf") ? "" : await response.text();
              const line = `${kind} ${who} ${org} GET ${url} → ${response.status}`;
              if (response.status >= 500) return void problems.push(`${line}: server error`);
              if (response.status !== 200 && LEAK.test(text)) problems.push(`${line}: leaks ${LEAK.exec(text)![0]}`);
              const viewer = who === "anonymous" ? null : world.viewers[who];
              if (who === "anonymous") {
                if (!PUBLIC.test(pattern) && response.status === 200) problems.push(`${line}: signed out, yet the page was served`);
                return;
              }
              const need = record ?? fixed;
              if (!need) {
                checked.other += 1;
                if (![200, 302, 303, 307, 308, 404, 401, 503].includes(response.status)) problems.push(`${line}: unexpected status`);
                return;
              }
              // Staff reach every organisation's records; a provider user only their own organisation's.
              const allowed = reaches(viewer, need) && (need.audience === "operator" || org !== "other");
              if (allowed) {
                checked.allowed += 1;
                const ok = response.status === 200 || (record?.maybe404 && response.status === 404);
                if (!ok) problems.push(`${line}: the role reaches it, expected 200`);
              } else {
                checked.refused += 1;
                if (response.status !== 404) problems.push(`${line}: beyond the role or organisation, expected 404`);
                if (/Matrix (own|other)/.test(text)) problems.push(`${line}: leaks the record`);
              }
            });
          }
        }
      }
      // A few at a time: the server is shared with the rest of the machine.
      let next = 0;
      await Promise.all(
        Array.from({ length: 4 }, async () => {
          while (next < jobs.length) await jobs[next++]!();
        }),
      );
      console.log(`[matrix ${kind}] ${jobs.length} requests: ${checked.allowed} allowed, ${checked.refused} refused (404), ${checked.other} other pages checked for 5xx and leaks`);
      expect(problems).toEqual([]);
      expect(checked.allowed).toBeGreaterThan(20);
      expect(checked.refused).toBeGreaterThan(50);
    });
  });
}
