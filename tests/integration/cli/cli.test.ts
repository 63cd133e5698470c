import { existsSync } from "node:fs";
import { readFile, rm, writeFile } from "node:fs/promises";
import net from "node:net";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { shippedBankHolidays } from "@/lib/calendar/bank-holidays";
import { validateConfig } from "@/lib/config";
import { councilProfile } from "@/lib/config/profiles/council";
import { checkEmail } from "@/lib/policy/email-policy";
import { createCliDatabase, makeTmpDir, runPortal, type CliDatabase, type PortalRun } from "@/tests/support/cli";
import { databaseKind } from "@/tests/support/test-database";

/*
 * The ops CLI, run as an operator runs it: `bin/portal` (tsx bin/portal.ts) as a child
 * process. Each run costs a second or two, so the commands that touch no database run once
 * (on the PGlite project) and are started together; the database commands run on both.
 */
const kind = databaseKind();
const council = validateConfig(councilProfile);

/** A loopback port nobody listens on, so a download from it fails at once. */
function closedPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => (typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port"))));
    });
  });
}

// Generous timeouts: a spawn waits for a free slot, and the machine may be busy with other suites.
// Database-free commands run once, on the PGlite project: not declared at all on PostgreSQL.
(kind === "pglite" ? describe : () => undefined)("portal CLI: commands without a database", { timeout: 90_000 }, () => {
  const addresses = {
    accepted: "  Jane.Smith@NHS.NET  ",
    lookalike: "jane.smith@nhs.net.example.com",
    generic: "info@care.example.org",
    webmail: "jane.smith@gmail.com",
    invalid: "jane smith@care.example.org",
  } as const;
  type Case = keyof typeof addresses;

  let dir: string;
  let email: Record<Case, Promise<PortalRun>>;
  let help: Promise<PortalRun>;
  let badConfig: Promise<PortalRun>;
  let due: Promise<PortalRun>;
  let update: Promise<PortalRun & { after: PortalRun }>;
  let badFile: Promise<PortalRun>;
  let unreachable: Promise<PortalRun>;
  let unreachableDir: string;

  /** GOV.UK's bank-holidays.json: the shipped lists, plus England and Wales 2029 (a fixture). */
  const govUkFile = {
    "england-and-wales": {
      division: "england-and-wales",
      events: [
        ...shippedBankHolidays("england-and-wales").events,
        ...[
          ["2029-01-01", "New Year’s Day"],
          ["2029-03-30", "Good Friday"],
          ["2029-04-02", "Easter Monday"],
          ["2029-05-07", "Early May bank holiday"],
          ["2029-05-28", "Spring bank holiday"],
          ["2029-08-27", "Summer bank holiday"],
          ["2029-12-25", "Christmas Day"],
          ["2029-12-26", "Boxing Day"],
        ].map(([date, title]) => ({ title, date, notes: "", bunting: true })),
      ],
    },
    scotland: shippedBankHolidays("scotland"),
    "northern-ireland": shippedBankHolidays("northern-ireland"),
  };

  beforeAll(async () => {
    dir = await makeTmpDir("cli");
    const configFile = path.join(dir, "bad-config.json");
    await writeFile(configFile, JSON.stringify({ requests: { bankHolidayDivision: "wales" } }));
    const sourceFile = path.join(dir, "bank-holidays.json");
    await writeFile(sourceFile, JSON.stringify(govUkFile));
    const badSourceFile = path.join(dir, "bad-bank-holidays.json");
    await writeFile(badSourceFile, JSON.stringify({ "england-and-wales": { division: "england-and-wales", events: [{ title: "x", date: "2029-02-30" }] } }));
    unreachableDir = path.join(dir, "not-written");
    const port = await closedPort();

    // Started together (at most three at a time, see runPortal); each test awaits its own.
    email = Object.fromEntries(
      Object.entries(addresses).map(([name, address]) => [name, runPortal(["check-email", address, "--json"])]),
    ) as Record<Case, Promise<PortalRun>>;
    help = runPortal(["--help"]);
    badConfig = runPortal(["check-email", "jane.smith@nhs.net"], { env: { PORTAL_CONFIG: configFile } });
    due = runPortal(["calendar", "due", "--from", "2027-03-25T11:00", "--json"]);
    update = runPortal(["calendar", "update-bank-holidays", "--file", sourceFile, "--dir", path.join(dir, "bank-holidays"), "--json"]).then(
      async (run) => {
        // Then the portal reads the updated folder: Christmas 2029 is skipped.
        const after = await runPortal(["calendar", "due", "--from", "2029-12-20T10:00:00Z", "--json"], {
          env: { PORTAL_BANK_HOLIDAYS_DIR: path.join(dir, "bank-holidays") },
        });
        return Object.assign(run, { after });
      },
    );
    badFile = runPortal(["calendar", "update-bank-holidays", "--file", badSourceFile, "--dir", path.join(dir, "bad"), "--json"]);
    unreachable = runPortal(["calendar", "update-bank-holidays", "--url", `http://127.0.0.1:${port}/bank-holidays.json`, "--dir", unreachableDir, "--json"]);
  });

  afterAll(async () => {
    // Let every run finish before removing the folder it reads.
    await Promise.allSettled([...Object.values(email ?? {}), help, badConfig, due, update, badFile, unreachable]);
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  /** check-email --json prints exactly the verdict and the reason, and exits 0 whatever the verdict. */
  async function expectVerdict(name: Case, verdict: string): Promise<string> {
    const run = await email[name];
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    const { normalised: _normalised, ...expected } = checkEmail(addresses[name], council.email);
    expect(expected.verdict).toBe(verdict);
    expect(run.stdout).toBe(`${JSON.stringify({ verdict: expected.verdict, reason: expected.reason }, null, 2)}\n`);
    expect(Object.keys(run.json())).toEqual(["verdict", "reason"]);
    return run.json<{ reason: string }>().reason;
  }

  it("UAP-2.2 UCP-EMAIL-1 check-email accepts an nhs.net address, ignoring case and surrounding spaces", async () => {
    expect(await expectVerdict("accepted", "accepted")).toContain("jane.smith@nhs.net can be used");
  });

  it("UCP-EMAIL-1 check-email does not count nhs.net.example.com as nhs.net: attestation required", async () => {
    expect(await expectVerdict("lookalike", "attestation_required")).toContain("nhs.net.example.com is not one of the accepted email domains");
  });

  it("UAP-2.2 check-email refuses a generic mailbox (info@…), saying why", async () => {
    expect(await expectVerdict("generic", "refused")).toMatch(/"info" is a shared or generic mailbox name/);
  });

  it("UCP-EMAIL-1 check-email refuses personal webmail (…@gmail.com), saying why", async () => {
    expect(await expectVerdict("webmail", "refused")).toMatch(/gmail\.com is a personal email service/);
  });

  it("UAP-2.2 check-email calls an address with a space in it invalid", async () => {
    expect(await expectVerdict("invalid", "invalid")).toMatch(/is not a valid email address/);
  });

  it("--help lists the commands", async () => {
    const run = await help;
    expect(run.code).toBe(0);
    for (const command of ["db", "seed", "check-email", "audit", "calendar"]) expect(run.stdout).toMatch(new RegExp(`^\\s+${command}\\b`, "m"));
  });

  it("a bad PORTAL_CONFIG stops a command with a non-zero exit and a message naming the field", async () => {
    const run = await badConfig;
    expect(run.code).toBe(2);
    expect(run.stdout).toBe("");
    expect(run.stderr).toContain("requests.bankHolidayDivision");
    expect(run.stderr).not.toMatch(/\n\s+at /); // a known error: no stack trace
  });

  it("CC-5 UCP-HD-1 calendar due prints the SLA due time: Easter 2027 and the change to BST skipped", async () => {
    const run = await due;
    expect(run.code).toBe(0);
    expect(run.json()).toMatchObject({
      receivedAt: "2027-03-25T11:00:00.000Z",
      clockStartsAt: "2027-03-25T11:00:00.000Z",
      dueAt: "2027-04-05T10:00:00.000Z",
      dueAtLocal: "2027-04-05T11:00:00+01:00",
      workingDays: 5,
      timeZone: "Europe/London",
      bankHolidayDivision: "england-and-wales",
      beyondKnownBankHolidays: false,
    });
  });

  it("UCP-HD-1 calendar update-bank-holidays --file merges GOV.UK's file, says how many dates each division gained, and the portal uses them", async () => {
    const run = await update;
    expect(run.code).toBe(0);
    const result = run.json<{ source: unknown; dryRun: boolean; divisions: { division: string; added: number; removed: number; knownUntil: string; written: boolean }[] }>();
    expect(result.source).toEqual({ file: path.join(dir, "bank-holidays.json") });
    expect(result.divisions.map(({ division, added, removed, knownUntil, written }) => ({ division, added, removed, knownUntil, written }))).toEqual([
      { division: "england-and-wales", added: 8, removed: 0, knownUntil: "2029-12-26", written: true },
      { division: "scotland", added: 0, removed: 0, knownUntil: "2028-12-26", written: true },
      { division: "northern-ireland", added: 0, removed: 0, knownUntil: "2028-12-26", written: true },
    ]);
    const written = JSON.parse(await readFile(path.join(dir, "bank-holidays", "england-and-wales.json"), "utf8")) as { events: { date: string }[] };
    expect(written.events.at(-1)?.date).toBe("2029-12-26");
    // Thursday 20 December 2029 10:00 + 5 working days, skipping 25 and 26 December: Monday 31st.
    expect(run.after.code).toBe(0);
    expect(run.after.json()).toMatchObject({ dueAt: "2029-12-31T10:00:00.000Z", bankHolidaysKnownUntil: "2029-12-26" });
  });

  it("calendar update-bank-holidays refuses a file not in GOV.UK's format, naming the field", async () => {
    const run = await badFile;
    expect(run.code).toBe(2);
    expect(run.json()).toMatchObject({ error: { code: "validation", message: expect.stringContaining("england-and-wales.events.0.date is not a day of the calendar") } });
    expect(existsSync(path.join(dir, "bad"))).toBe(false);
  });

  it("calendar update-bank-holidays says clearly when the file cannot be downloaded, and writes nothing", async () => {
    const run = await unreachable;
    expect(run.code).toBe(1);
    const { error } = run.json<{ error: { code: string; message: string } }>();
    expect(error.code).toBe("not_found");
    expect(error.message).toMatch(/^Could not download the bank holidays from http:\/\/127\.0\.0\.1:\d+\/bank-holidays\.json \(.+\)/);
    expect(error.message).toContain("--file PATH");
    expect(existsSync(unreachableDir)).toBe(false);
  });
});

describe(`portal CLI: database commands (${kind})`, { timeout: 90_000 }, () => {
  let database: CliDatabase;
  beforeAll(async () => {
    database = await createCliDatabase();
  });
  afterAll(async () => {
    await database?.dispose();
  });
  const portal = (...args: string[]) => runPortal(args, { env: database.env });

  it("db migrate --json migrates the empty database", async () => {
    const run = await portal("db", "migrate", "--json");
    expect(run.code, run.stderr).toBe(0);
    const result = run.json();
    expect(result).toMatchObject({ migrated: true, driver: kind });
    if (kind === "pglite") expect(result.location).toBe(database.location);
    else expect(result.location).toMatch(new RegExp(`^127\\.0\\.0\\.1:\\d+/${database.location}$`));
  });

  it("seed demo --json seeds the demo operator and providers", async () => {
    const run = await portal("seed", "demo", "--json");
    expect(run.code, run.stderr).toBe(0);
    const summary = run.json<{ password: string; securityNumber: string; accounts: { email: string; organisation: string; roles: string[]; status: string }[] }>();
    expect(summary.password).toEqual(expect.any(String));
    expect(summary.securityNumber).toMatch(/^\d{6}$/);
    expect(summary.accounts.length).toBeGreaterThan(3);
    for (const account of summary.accounts) expect(account.email).toMatch(/@[a-z0-9.-]+\.[a-z]+$/);
  });

  it("UAP-4.4 audit verify --json verifies the hash chain the seed wrote", async () => {
    const run = await portal("audit", "verify", "--json");
    expect(run.code, run.stderr).toBe(0);
    const verdict = run.json<{ ok: boolean; events: number; headSeq: number; headHash: string }>();
    expect(verdict.ok).toBe(true);
    expect(verdict.events).toBeGreaterThan(0);
    expect(verdict.headSeq).toBe(verdict.events);
    expect(verdict.headHash).toMatch(/^[0-9a-f]{64}$/);
  });

  it("seed demo refuses a database that is not empty: exit 1 and a JSON error", async () => {
    const run = await portal("seed", "demo", "--json");
    expect(run.code).toBe(1);
    expect(run.json()).toEqual({ error: { code: "refused", message: expect.stringContaining("only into an empty database") } });
  });
});
