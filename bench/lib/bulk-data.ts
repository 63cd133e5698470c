/**
 * A large, realistic portal for benchmarks, loaded on top of the demo seed: at scale 1, 1,000
 * provider organisations, 100,000 accounts with their role grants, 50,000 requests across
 * statuses, types and organisations with due times from the SLA calendar, and 1,000,000 audit
 * events continuing the demo's hash chain — every event's seq, previous hash and hash computed
 * exactly as lib/audit/record-audit.ts does (lib/audit/canonical.ts), so `portal audit verify`
 * passes. Rows go in through COPY (psql), in the order a foreign key needs.
 *
 * Deterministic for a given seed apart from the random UUIDs, and about a minute or two per
 * million events on two cores (most of it PostgreSQL maintaining audit_events' indexes).
 */
import { randomUUID } from "node:crypto";
import pg from "pg";
import { GENESIS_HASH, hashEvent, type HashedAuditFields } from "../../lib/audit/canonical";
import { slaDueTime } from "../../lib/calendar/sla-due-time";
import type { PortalConfig } from "../../lib/config";
import { requestTitle, slaWorkingDaysFor, formatReference } from "../../lib/requests/rules";
import { copyInto, csvLine } from "./postgres";

export interface BulkLoadOptions {
  url: string;
  scale: number;
  config: PortalConfig;
  now: Date;
  log: (line: string) => void;
  seed?: number;
}

export interface BulkLoadResult {
  organisations: number;
  accounts: number;
  roleGrants: number;
  requests: number;
  openRequests: number;
  auditEvents: number;
  /** The demo Lead's organisation, made one of the largest. */
  meadowbank: { id: string; name: string; accounts: number; auditEvents: number };
  /** Seconds spent on each table (generation and COPY together), and VACUUM ANALYZE. */
  seconds: Record<string, number>;
}

const DAY = 86_400_000;

/** mulberry32: a small seeded generator, so a scale always gives the same shape of data. */
function generator(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n: number) => Math.floor(next() * n);
  const pick = <T>(list: readonly T[]): T => list[int(list.length)]!;
  /** Picks a key by weight. */
  const weighted = <K extends string>(weights: readonly (readonly [K, number])[]): K => {
    const total = weights.reduce((s, [, w]) => s + w, 0);
    let r = next() * total;
    for (const [key, w] of weights) {
      r -= w;
      if (r < 0) return key;
    }
    return weights[weights.length - 1]![0];
  };
  /** A standard normal deviate (Box–Muller). */
  const normal = () => Math.sqrt(-2 * Math.log(1 - next())) * Math.cos(2 * Math.PI * next());
  return { next, int, pick, weighted, normal };
}

const FIRST = ["Aaliyah", "Adam", "Aisha", "Alan", "Alice", "Amir", "Anna", "Ben", "Beth", "Carl", "Chloe", "Claire", "Daniel", "David", "Deborah", "Ella", "Emma", "Fatima", "Gareth", "Grace", "Hannah", "Harry", "Imran", "Isla", "Jack", "James", "Jane", "Jasmine", "John", "Josh", "Julie", "Karen", "Kwame", "Laura", "Leah", "Liam", "Lucy", "Mark", "Maria", "Mohammed", "Nadia", "Naomi", "Neil", "Nina", "Oliver", "Olivia", "Patrick", "Paul", "Rachel", "Rebecca", "Rohan", "Ruth", "Sarah", "Sean", "Simon", "Sophie", "Susan", "Thomas", "Yusuf", "Zara"];
const LAST = ["Adams", "Ahmed", "Ali", "Allen", "Bailey", "Baker", "Bell", "Brown", "Campbell", "Carter", "Clarke", "Cooper", "Davies", "Edwards", "Evans", "Green", "Griffiths", "Hall", "Harris", "Hill", "Hughes", "Hussain", "Jackson", "James", "Johnson", "Jones", "Khan", "King", "Kowalski", "Lewis", "Martin", "Mensah", "Mitchell", "Moore", "Morris", "Murphy", "Nowak", "Okafor", "Parker", "Patel", "Phillips", "Price", "Roberts", "Robinson", "Scott", "Shah", "Singh", "Smith", "Taylor", "Thomas", "Thompson", "Turner", "Walker", "Ward", "Watson", "White", "Williams", "Wilson", "Wood", "Wright"];
const PLACE = ["Ash", "Beech", "Birch", "Brook", "Cedar", "Clover", "Elm", "Fern", "Hawthorn", "Hazel", "Heather", "Holly", "Ivy", "Juniper", "Larch", "Laurel", "Linden", "Maple", "Oak", "Orchard", "Pine", "Poplar", "Rowan", "Sage", "Spring", "Sycamore", "Thistle", "Valley", "Willow", "Yew"];
const KIND = ["Court", "House", "Lodge", "Gardens", "View", "Grange", "Manor", "Park", "Meadows", "Place", "Fields", "Hall", "Mews", "Green", "Rise", "Vale", "Haven", "Side", "Bank", "Croft", "Dale", "Lea", "Hey", "Heights", "Hollow", "Row", "Gate", "Wood", "Cross", "Way", "Close", "Square", "Moor", "Ford"];
const SUFFIX = ["Care Ltd", "Care Home", "Home Care", "Nursing Home", "Care Services", "Support Ltd", "Healthcare"];
const JOBS: readonly (readonly [string, string])[] = [
  ["Registered Manager", "lead_correspondent"],
  ["Care Coordinator", "care_coordinator"],
  ["Senior Carer", "care_coordinator"],
  ["Scheduler", "care_coordinator"],
  ["Finance Officer", "finance"],
  ["Accounts Assistant", "finance"],
  ["Administrator", "read_only"],
  ["Receptionist", "read_only"],
];
const AGENTS = [
  "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0",
  "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36",
  "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_6) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Safari/605.1.15",
  "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1",
  "Mozilla/5.0 (X11; Linux x86_64; rv:132.0) Gecko/20100101 Firefox/132.0",
];
const PROVIDER_PATHS = ["/portal", "/portal/users", "/portal/requests", "/account", "/portal/requests/new/new_user", "/portal/contacts", "/portal/purchase-orders", "/portal/payments"];
const STAFF_PATHS = ["/staff", "/staff/requests", "/staff/outbox", "/staff/audit", "/staff/sign-in-locks", "/account"];
const PROVIDER_TYPES = ["social_care", "care_home", "domiciliary_care", "charity", "other_non_nhs", "gp_practice"] as const;

interface Org {
  id: string;
  name: string;
  domain: string;
  status: string;
  /** Accounts, the first an active Lead correspondent. */
  accounts: Person[];
}

interface Person {
  id: string;
  fullName: string;
  email: string;
  orgId: string;
  status: "active" | "suspended" | "pending";
  staff: boolean;
}

interface RequestRef {
  id: string;
  number: number;
  orgId: string;
  subjectId: string | null;
  status: string;
}

/** Loads the bulk data into a migrated database that holds the demo seed. */
export async function bulkLoad(options: BulkLoadOptions): Promise<BulkLoadResult> {
  const { url, scale, config, now, log } = options;
  const rng = generator(options.seed ?? 20_261_124);
  const seconds: Record<string, number> = {};
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const timed = async <T>(name: string, work: () => Promise<T>): Promise<T> => {
      const started = performance.now();
      try {
        return await work();
      } finally {
        seconds[name] = Math.round((performance.now() - started) / 100) / 10;
      }
    };

    // --- What the demo seed made --------------------------------------------------------
    const demoOrgs = (await client.query<{ id: string; name: string; kind: string; ods_code: string; status: string }>("select id, name, kind, ods_code, status from organisations")).rows;
    const operatorOrg = demoOrgs.find((o) => o.kind === "operator");
    const meadowbankRow = demoOrgs.find((o) => o.ods_code === "AB1C2");
    if (!operatorOrg || !meadowbankRow) throw new Error("the demo seed is missing (no operator or Meadowbank Care)");
    const demoAccounts = (
      await client.query<{ id: string; full_name: string; email: string; organisation_id: string; status: Person["status"]; audience: string; password_hash: string | null; security_number_sealed: string | null }>(
        "select id, full_name, email, organisation_id, status, audience, password_hash, security_number_sealed from accounts order by created_at",
      )
    ).rows;
    const secret = demoAccounts.find((a) => a.password_hash && a.security_number_sealed);
    if (!secret) throw new Error("the demo seed has no account with a password");
    const emails = new Set(demoAccounts.map((a) => a.email));
    const orgs = new Map<string, Org>();
    for (const o of demoOrgs) orgs.set(o.id, { id: o.id, name: o.name, domain: "", status: o.status, accounts: [] });
    for (const a of demoAccounts) {
      orgs.get(a.organisation_id)!.accounts.push({ id: a.id, fullName: a.full_name, email: a.email, orgId: a.organisation_id, status: a.status, staff: a.audience === "operator" });
    }
    const operator = orgs.get(operatorOrg.id)!;
    const meadowbank = orgs.get(meadowbankRow.id)!;
    operator.domain = operator.accounts[0]?.email.split("@")[1] ?? "council.example.org";
    meadowbank.domain = "meadowbank-care.example.org";

    // --- Organisations --------------------------------------------------------------------
    const orgCount = Math.max(1, Math.round(1000 * scale));
    const newOrgs: Org[] = [];
    await timed("organisations", async () => {
      const lines: string[] = [];
      for (let i = 0; i < orgCount; i += 1) {
        const name = `${PLACE[i % PLACE.length]} ${KIND[Math.floor(i / PLACE.length) % KIND.length]} ${SUFFIX[i % SUFFIX.length]}`;
        const status = rng.weighted([["active", 90], ["onboarding", 4], ["closing", 3], ["closed", 3]] as const);
        const org: Org = { id: randomUUID(), name, domain: `${name.toLowerCase().replace(/[^a-z]+/g, "-")}-${i}.example.org`, status, accounts: [] };
        newOrgs.push(org);
        orgs.set(org.id, org);
        const created = new Date(now.getTime() - (800 + rng.int(1500)) * DAY);
        const eligibility = status === "onboarding" ? { dpiaListed: true } : { dpiaListed: true, dsptStatus: "Standards Met", dsptDate: "2026-06-30", inRegion: true };
        lines.push(
          csvLine([org.id, `B${String(i + 1).padStart(4, "0")}`, name, "provider", rng.pick(PROVIDER_TYPES), status, `${1 + rng.int(200)} ${rng.pick(PLACE)} Road, Exampletown, EX${1 + rng.int(9)} ${1 + rng.int(9)}AA`, eligibility, created, created]),
        );
      }
      // Licences are allocated once the sizes are known (with the accounts).
      await copyInto(url, "organisations", ["id", "ods_code", "name", "kind", "type", "status", "address", "eligibility", "created_at", "updated_at"], lines);
    });
    log(`  ${orgCount.toLocaleString("en-GB")} organisations (${seconds.organisations} s)`);

    // --- Accounts and role grants ---------------------------------------------------------
    const accountTarget = Math.max(orgCount, Math.round(100_000 * scale));
    const existing = demoAccounts.length;
    const staffExtra = 40;
    const meadowbankExtra = Math.max(0, Math.min(400, Math.floor(accountTarget / 4)) - meadowbank.accounts.length);
    const spread = Math.max(orgCount, accountTarget - existing - staffExtra - meadowbankExtra);
    // Organisation sizes: log-normal (median about 60 at scale 1, a few past 1,000), at least one each.
    const raw = newOrgs.map(() => Math.exp(1.0 * rng.normal()));
    const rawSum = raw.reduce((a, b) => a + b, 0);
    const sizes = raw.map((r) => Math.max(1, Math.floor((r / rawSum) * spread)));
    for (let left = spread - sizes.reduce((a, b) => a + b, 0); left > 0; left -= 1) sizes[rng.int(sizes.length)]! += 1;

    let accountRows = 0;
    let grantRows = 0;
    const grantLines: string[] = [];
    await timed("accounts", async () => {
      const lines: string[] = [];
      const add = (org: Org, role: string, job: string, forceStatus?: Person["status"], staff = false) => {
        const first = rng.pick(FIRST);
        const last = rng.pick(LAST);
        let email = `${first}.${last}@${org.domain}`.toLowerCase();
        for (let n = 2; emails.has(email); n += 1) email = `${first}.${last}${n}@${org.domain}`.toLowerCase();
        emails.add(email);
        const status: Person["status"] = forceStatus ?? (org.status === "closed" ? "suspended" : rng.weighted([["active", 82], ["suspended", 10], ["pending", 8]] as const));
        const person: Person = { id: randomUUID(), fullName: `${first} ${last}`, email, orgId: org.id, status, staff };
        org.accounts.push(person);
        const activated = status === "pending" ? null : new Date(now.getTime() - (30 + rng.int(900)) * DAY);
        const lastSignIn = status === "active" ? new Date(now.getTime() - rng.int(60 * DAY)) : status === "suspended" ? new Date(now.getTime() - (60 + rng.int(340)) * DAY) : null;
        const suspended = status === "suspended" ? new Date(now.getTime() - rng.int(300) * DAY) : null;
        const endDate = rng.next() < 0.05 ? new Date(now.getTime() + rng.int(90) * DAY).toISOString().slice(0, 10) : null;
        const trained = rng.next() < 0.9 ? new Date(now.getTime() - rng.int(700) * DAY).toISOString().slice(0, 10) : null;
        const created = activated ?? new Date(now.getTime() - rng.int(20) * DAY);
        const ready = status !== "pending";
        lines.push(
          csvLine([
            person.id,
            org.id,
            staff ? "operator" : "provider",
            person.fullName,
            email,
            status,
            job,
            endDate,
            trained,
            lastSignIn,
            activated,
            suspended,
            suspended ? rng.pick(["No sign-in for 60 days", "Left the organisation", "Requested by the Lead correspondent"]) : null,
            ready ? secret.password_hash : null,
            ready ? secret.security_number_sealed : null,
            created,
            suspended ?? created,
          ]),
        );
        const roles = new Set([role]);
        if (!staff && rng.next() < 0.1) roles.add(rng.pick(["finance", "care_coordinator", "read_only"]));
        for (const r of roles) grantLines.push(csvLine([person.id, r, created]));
        grantRows += roles.size;
        accountRows += 1;
      };
      for (let i = 0; i < staffExtra; i += 1) {
        const [job, role] = i < 4 ? ["Brokerage Team Lead", "team_lead"] : i < 8 ? ["Information Governance Officer", "auditor"] : ["Brokerage Officer", "brokerage_officer"];
        add(operator, role, job, "active", true);
      }
      for (let i = 0; i < meadowbankExtra; i += 1) {
        const [job, role] = i === 0 ? JOBS[0]! : rng.pick(JOBS.slice(1));
        add(meadowbank, role, job);
      }
      newOrgs.forEach((org, i) => {
        for (let k = 0; k < sizes[i]!; k += 1) {
          const [job, role] = k === 0 ? JOBS[0]! : rng.pick(JOBS.slice(1));
          add(org, role, job, k === 0 ? (org.status === "closed" ? "suspended" : "active") : undefined);
        }
      });
      await copyInto(
        url,
        "accounts",
        ["id", "organisation_id", "audience", "full_name", "email", "status", "job_title", "end_date", "ig_training_date", "last_sign_in_at", "activated_at", "suspended_at", "suspension_reason", "password_hash", "security_number_sealed", "created_at", "updated_at"],
        lines,
      );
      await copyInto(url, "role_grants", ["account_id", "role_key", "created_at"], grantLines);
      const year = now.getUTCFullYear();
      await copyInto(
        url,
        "licence_allocations",
        ["organisation_id", "year", "allocation"],
        newOrgs.map((org) => csvLine([org.id, year, Math.ceil(org.accounts.length * 1.25) + 2])),
      );
    });
    log(`  ${accountRows.toLocaleString("en-GB")} accounts, ${grantRows.toLocaleString("en-GB")} role grants; ${meadowbank.name}: ${meadowbank.accounts.length} accounts (${seconds.accounts} s)`);

    // --- Requests -----------------------------------------------------------------------
    const providers = [...orgs.values()].filter((o) => o.id !== operator.id && o.accounts.length > 0);
    // Organisations ask in proportion to their size.
    const cumulative: number[] = [];
    providers.reduce((sum, o, i) => (cumulative[i] = sum + o.accounts.length), 0);
    const pickProvider = () => {
      const r = rng.next() * cumulative[cumulative.length - 1]!;
      let lo = 0;
      let hi = cumulative.length - 1;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (cumulative[mid]! > r) hi = mid;
        else lo = mid + 1;
      }
      return providers[lo]!;
    };
    const staff = operator.accounts.filter((a) => a.status === "active");
    const requestCount = Math.round(50_000 * scale);
    const requestRefs: RequestRef[] = [];
    let openRequests = 0;
    await timed("requests", async () => {
      const first = Number((await client.query<{ n: string }>("select coalesce(max(number), 0) as n from requests")).rows[0]!.n);
      const lines: string[] = [];
      for (let i = 0; i < requestCount; i += 1) {
        const org = pickProvider();
        const status = rng.weighted([["received", 1.2], ["prioritised", 0.8], ["assigned", 1.2], ["in_progress", 0.8], ["resolved", 4], ["rejected", 5], ["closed", 47], ["archived", 40]] as const);
        const open = status === "received" || status === "prioritised" || status === "assigned" || status === "in_progress";
        if (open) openRequests += 1;
        const type = rng.weighted([["new_user", 40], ["role_change", 20], ["suspension", 15], ["reinstatement", 5], ["end_date_change", 15], ["lead_change", 5]] as const);
        const priority = type === "lead_change" ? "high" : rng.weighted([["normal", 75], ["high", 12], ["urgent", 3], ["low", 10]] as const);
        // Open requests arrived in the last three weeks (some now overdue); resolved ones in the last
        // fortnight; closed ones over two years; archived ones more than six months ago.
        const ageDays = open ? rng.next() * 21 : status === "resolved" ? 1 + rng.next() * 14 : status === "archived" ? 180 + rng.next() * 550 : 3 + rng.next() * 720;
        const receivedAt = new Date(Math.round(now.getTime() - ageDays * DAY));
        // The SLA calendar (about 1 ms a call) for the last 60 days, which the queue, the dashboard
        // and its 30-day record read; older history is due a week after receipt (5 working days
        // without a bank holiday), which keeps the load to seconds.
        const dueAt =
          ageDays < 60
            ? slaDueTime({ receivedAt, requests: config.requests, days: slaWorkingDaysFor(priority, config.requests) }).dueAt
            : new Date(receivedAt.getTime() + (priority === "urgent" ? 1 : 7) * DAY);
        const lead = org.accounts[0]!;
        const subject = type === "new_user" && (open || status === "rejected") ? null : rng.pick(org.accounts);
        const newName = `${rng.pick(FIRST)} ${rng.pick(LAST)}`;
        const assignee = status === "received" || status === "prioritised" ? null : rng.pick(staff);
        // Most are actioned within the SLA; about one in eight late.
        const actioned = open ? null : new Date(Math.min(now.getTime() - 60_000, receivedAt.getTime() + (rng.next() < 0.88 ? 0.1 + rng.next() * 6 : 7 + rng.next() * 10) * DAY));
        const closed = status === "closed" || status === "archived" ? new Date(Math.min(now.getTime() - 30_000, actioned!.getTime() + (1 + rng.int(5)) * DAY)) : null;
        const payload =
          type === "new_user"
            ? { fullName: newName, email: `${newName.toLowerCase().replace(" ", ".")}@${org.domain}`, jobTitle: "Care Coordinator", roleKeys: ["care_coordinator"] }
            : { accountId: subject?.id, reason: rng.pick(["Changed duties", "Left the organisation", "Long-term leave", "Returned from leave", "Contract ends"]) };
        const number = first + i + 1;
        const id = randomUUID();
        requestRefs.push({ id, number, orgId: org.id, subjectId: subject?.id ?? null, status });
        lines.push(
          csvLine([
            id,
            number,
            type,
            status,
            priority,
            requestTitle(type, subject?.fullName ?? newName),
            org.id,
            subject?.id ?? null,
            lead.id,
            rng.weighted([["web", 80], ["email", 15], ["slack", 3], ["cli", 2]] as const),
            payload,
            assignee?.id ?? null,
            receivedAt,
            dueAt,
            actioned,
            closed,
            status === "rejected" ? "The account is not in this organisation" : actioned ? "Applied" : null,
            1 + (open ? rng.int(3) : 3 + rng.int(4)),
            receivedAt,
            closed ?? actioned ?? receivedAt,
          ]),
        );
      }
      await copyInto(
        url,
        "requests",
        ["id", "number", "type", "status", "priority", "title", "organisation_id", "subject_account_id", "requested_by_id", "channel", "payload", "assignee_id", "received_at", "due_at", "resolved_at", "closed_at", "resolution", "version", "created_at", "updated_at"],
        lines,
      );
      await client.query("select setval('request_number_seq', (select max(number) from requests))");
    });
    log(`  ${requestCount.toLocaleString("en-GB")} requests, ${openRequests.toLocaleString("en-GB")} open (${seconds.requests} s)`);

    // --- Audit events, continuing the demo's chain ----------------------------------------
    const eventCount = Math.round(1_000_000 * scale);
    const head = (await client.query<{ seq: string; hash: string }>("select seq, hash from audit_events order by seq desc limit 1")).rows[0];
    const people = [...orgs.values()].flatMap((o) => o.accounts);
    const providerPeople = people.filter((p) => !p.staff && p.status !== "pending");
    const staffPeople = people.filter((p) => p.staff);
    const address = (p: Person) => (p.staff ? `10.20.${p.id.charCodeAt(0) % 16}.${p.id.charCodeAt(1)}` : `81.${p.id.charCodeAt(0)}.${p.id.charCodeAt(1)}.${p.id.charCodeAt(2)}`);
    let meadowbankEvents = 0;
    await timed("auditEvents", async () => {
      let seq = Number(head?.seq ?? 0);
      let prevHash = head?.hash ?? GENESIS_HASH;
      const span = 730 * DAY - 10 * 60_000;
      let at = now.getTime() - 730 * DAY;
      const step = span / eventCount;
      const started = performance.now();
      function* events(): Generator<string> {
        for (let i = 0; i < eventCount; i += 1) {
          at += step * 2 * rng.next();
          const occurredAt = new Date(Math.min(Math.round(at), now.getTime() - 60_000));
          const kind = rng.weighted([["page", 40], ["signIn", 12], ["failed", 3], ["code", 2], ["search", 2], ["request", 25], ["account", 8], ["policy", 5], ["refused", 1], ["other", 2]] as const);
          const actorPerson = kind === "request" || kind === "account" || kind === "other" || (kind === "page" && rng.next() < 0.3) ? rng.pick(staffPeople) : rng.pick(providerPeople);
          let action: string;
          let actor: Person | null = actorPerson;
          let organisationId: string | null = actorPerson.orgId;
          let subjectAccountId: string | null = null;
          let requestId: string | null = null;
          let channel = "web";
          let detail: Record<string, unknown>;
          switch (kind) {
            case "page":
              action = "page.viewed";
              detail = { path: rng.pick(actorPerson.staff ? STAFF_PATHS : PROVIDER_PATHS) };
              break;
            case "signIn":
              action = "sign_in.succeeded";
              subjectAccountId = actorPerson.id;
              detail = { sessionId: randomUUID() };
              break;
            case "failed":
              action = "sign_in.failed";
              actor = null;
              subjectAccountId = actorPerson.id;
              detail = { reason: rng.pick(["wrong_password", "wrong_digits", "wrong_code"]) };
              break;
            case "code":
              action = "sign_in.code_sent";
              subjectAccountId = actorPerson.id;
              detail = { to: "registered email" };
              break;
            case "search":
              action = "search.performed";
              actor = null;
              organisationId = null;
              detail = { scope: "audit log", terms: { action: rng.pick(["request.", "account.suspended", "sign_in.failed"]) } };
              break;
            case "request": {
              const request = rng.pick(requestRefs);
              action = `request.${rng.pick(["submitted", "prioritised", "assigned", "started", "resolved", "closed", "archived", "note_added", "rejected"])}`;
              if (action === "request.submitted") actor = orgs.get(request.orgId)!.accounts[0]!;
              organisationId = request.orgId;
              subjectAccountId = request.subjectId;
              requestId = request.id;
              channel = rng.next() < 0.1 ? "email" : "web";
              detail = { reference: formatReference(request.number), status: request.status };
              break;
            }
            case "account": {
              const subject = rng.pick(providerPeople);
              action = `account.${rng.pick(["created", "suspended", "reinstated", "roles_changed", "end_date_changed", "setup_completed"])}`;
              organisationId = subject.orgId;
              subjectAccountId = subject.id;
              if (action === "account.suspended" && rng.next() < 0.5) {
                actor = null;
                channel = "job";
                detail = { reason: "No sign-in for 60 days" };
              } else detail = action === "account.roles_changed" ? { before: ["read_only"], after: ["care_coordinator"] } : { email: subject.email };
              break;
            }
            case "policy":
              action = "policy.accepted";
              subjectAccountId = actorPerson.id;
              detail = { policy: "acceptable-use", version: rng.pick(["2025-04", "2026-04"]) };
              break;
            case "refused":
              action = "access.refused";
              subjectAccountId = actorPerson.id;
              detail = { kind: "users", level: "edit", path: "/portal/users" };
              break;
            default:
              action = rng.pick(["audit.exported", "mail.dead_lettered", "mail.retry_requested", "organisation.licence_alert_sent"]);
              organisationId = action === "organisation.licence_alert_sent" ? rng.pick(providers).id : null;
              detail = { note: "bench" };
          }
          if (organisationId === meadowbank.id) meadowbankEvents += 1;
          seq += 1;
          const anonymous = actor === null && kind === "search";
          const fields: HashedAuditFields = {
            seq,
            id: randomUUID(),
            occurredAt,
            action,
            channel,
            actorId: actor?.id ?? null,
            actorLabel: actor ? actor.fullName : anonymous ? "Anonymous" : channel === "job" ? "Inactivity check" : "Sign-in",
            organisationId,
            subjectAccountId,
            requestId,
            clientAddress: anonymous || channel !== "web" ? null : address(actorPerson),
            userAgent: anonymous || channel !== "web" ? null : AGENTS[actorPerson.id.charCodeAt(3) % AGENTS.length]!,
            detail,
            prevHash,
          };
          const hash = hashEvent(fields);
          prevHash = hash;
          yield csvLine([fields.seq, fields.id, fields.occurredAt, fields.action, fields.channel, fields.actorId, fields.actorLabel, fields.organisationId, fields.subjectAccountId, fields.requestId, fields.clientAddress, fields.userAgent, fields.detail, fields.prevHash, hash]);
          if ((i + 1) % 100_000 === 0) log(`  audit events: ${(i + 1).toLocaleString("en-GB")} of ${eventCount.toLocaleString("en-GB")} (${Math.round((performance.now() - started) / 1000)} s)`);
        }
      }
      await copyInto(
        url,
        "audit_events",
        ["seq", "id", "occurred_at", "action", "channel", "actor_id", "actor_label", "organisation_id", "subject_account_id", "request_id", "client_address", "user_agent", "detail", "prev_hash", "hash"],
        events(),
      );
    });
    log(`  ${eventCount.toLocaleString("en-GB")} audit events (${seconds.auditEvents} s)`);

    let allVisible = 0;
    await timed("vacuumAnalyze", async () => {
      // What autovacuum does on a live system: statistics, and the visibility map that index-only
      // scans need. The throwaway server commits asynchronously, and a VACUUM straight after the
      // load leaves the map empty (its rows' commits are not yet known flushed), so it is
      // repeated, a second apart, until the log's pages are all-visible.
      await client.query("checkpoint");
      for (let attempt = 1; attempt <= 20; attempt += 1) {
        await client.query("vacuum (analyze)");
        const [row] = (await client.query<{ share: number }>("select relallvisible::float / greatest(relpages, 1) as share from pg_class where relname = 'audit_events'")).rows;
        allVisible = row?.share ?? 0;
        if (allVisible >= 0.99) break;
        await new Promise((r) => setTimeout(r, 1000));
      }
      await client.query("checkpoint");
    });
    log(`  CHECKPOINT, VACUUM (ANALYZE), CHECKPOINT: ${Math.round(allVisible * 100)} % of audit_events all-visible (${seconds.vacuumAnalyze} s)`);

    return {
      organisations: orgs.size,
      accounts: people.length,
      roleGrants: grantRows,
      requests: requestCount,
      openRequests,
      auditEvents: eventCount,
      meadowbank: { id: meadowbank.id, name: meadowbank.name, accounts: meadowbank.accounts.length, auditEvents: meadowbankEvents },
      seconds,
    };
  } finally {
    await client.end();
  }
}
