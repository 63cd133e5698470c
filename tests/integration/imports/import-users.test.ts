import { and, asc, eq, isNull, sql } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { tables } from "@/lib/db";
import type { ImportRow } from "@/lib/imports/columns";
import { findImportBatch } from "@/lib/imports/import-batch";
import { importUsers, type ImportUsersOptions } from "@/lib/imports/import-users";
import { licenceUse, licenceYear } from "@/lib/requests/licences";
import { readPayload } from "@/lib/requests/schema";
import {
  LEE,
  PRIYA,
  TOM,
  accountByEmail,
  actorFor,
  appError,
  createProvider,
  createRequestWorld,
  footprint,
  newUserInput,
  requestAudit,
  requestMail,
  requestRow,
  submitAs,
  type RequestWorld,
} from "../requests/fixtures";

/*
 * Bulk user requests (UCP-BULK-1) against the database: the per-row report, one transaction
 * for the valid rows, duplicates in the file and against accounts and open requests (UAP-2.2),
 * licences for the batch (CC-2a), who may import (CC-4), and that a request made from a file is
 * stored exactly as the single form stores it. A fresh demo world per test: licences are finite.
 */

let world: RequestWorld;
beforeEach(async () => {
  world = await createRequestWorld();
});
afterEach(async () => {
  await world?.dispose();
});

let rowNumber = 1;
function person(name: string, overrides: Partial<ImportRow["values"]> = {}): ImportRow {
  rowNumber += 1;
  const email = `${name.toLowerCase().replace(/\W+/g, ".")}@nhs.net`;
  return { row: rowNumber, values: { fullName: name, email, jobTitle: "Care Coordinator", purpose: "Arranging home care visits for the people we support", ...overrides } };
}

async function run(rows: ImportRow[], options: Partial<ImportUsersOptions> = {}, who = PRIYA) {
  return importUsers({ db: world.db, actor: await actorFor(world.db, who), clock: world.clock, config: world.config, organisationId: world.meadowbankId, rows, dryRun: false, ...options });
}

async function freeLicences(): Promise<number> {
  const use = await licenceUse(world.db, world.config, world.meadowbankId, licenceYear(world.clock.now()));
  return use.allocation - use.used;
}

describe("UCP-BULK-1 importing new users from a file", () => {
  it("UCP-BULK-1 UCP-RBAC-3 a dry run reports every row and changes nothing; the real run makes the valid rows requests in one transaction, audited", async () => {
    rowNumber = 1;
    const rows = [
      person("Ann Able"),
      person("Bob Bad Date", { endDate: "31/02/2027" }),
      person("Cat Clinical", { jobTitle: "Nurse", roles: "Nurse", registrationBody: "NMC", registrationNumber: "12A3456E" }),
      person("Dan No Registration", { jobTitle: "Nurse", roles: "Nurse" }),
      person("Eve Finance", { jobTitle: "Finance Officer", endDate: "31/12/2026", temporary: "yes" }),
    ];
    const before = await footprint(world.db);
    const dry = await run(rows, { dryRun: true });
    expect(dry).toMatchObject({ dryRun: true, submitted: false, batchId: null, references: [], summary: { rows: 5, ok: 3, errors: 2 } });
    expect(dry.rows.map((r) => [r.row, r.status])).toEqual([
      [2, "ok"],
      [3, "error"],
      [4, "ok"],
      [5, "error"],
      [6, "ok"],
    ]);
    expect(dry.rows[3]!.errors.map((e) => e.column)).toEqual(["Registration body", "Registration number"]);
    expect(await footprint(world.db)).toEqual(before);

    const result = await run(rows, { source: { fileName: "staff.csv", format: "csv" } });
    expect(result).toMatchObject({ dryRun: false, submitted: true, changed: false, summary: { rows: 5, ok: 3, errors: 2 } });
    expect(result.references).toHaveLength(3);
    expect(result.rows.filter((r) => r.status === "error").every((r) => r.reference === undefined)).toBe(true);
    const after = await footprint(world.db);
    const grew = (key: "requests" | "audit" | "mail") => Number(after[key]) - Number(before[key]);
    expect(grew("requests")).toBe(3);
    // One request.submitted a request, and one request.bulk_submitted for the file.
    expect(grew("audit")).toBe(4);
    // One acknowledgement for the batch, not one a person.
    expect(grew("mail")).toBe(1);

    const eve = result.rows.find((r) => r.fullName === "Eve Finance")!;
    const stored = await requestRow(world.db, eve.requestId!);
    expect(stored).toMatchObject({ type: "new_user", status: "received", title: "New user – Eve Finance", organisationId: world.meadowbankId, channel: "web" });
    expect(readPayload(stored.payload).details).toMatchObject({ roleKeys: ["finance"], temporary: true, endDate: "2026-12-31" });
    const cat = await requestRow(world.db, result.rows.find((r) => r.fullName === "Cat Clinical")!.requestId!);
    expect(readPayload(cat.payload).details).toMatchObject({ roleKeys: ["nurse"], registrationBody: "NMC", registrationNumber: "12A3456E" });

    const [bulk] = await world.db.select().from(tables.auditEvents).where(eq(tables.auditEvents.action, "request.bulk_submitted"));
    expect(bulk).toMatchObject({ id: result.batchId, channel: "web", organisationId: world.meadowbankId });
    expect(bulk?.detail).toMatchObject({ source: { fileName: "staff.csv", format: "csv" }, rows: 5, submitted: 3, errorRows: [3, 5] });

    const [ack] = await world.db.select().from(tables.outboundMessages).where(and(eq(tables.outboundMessages.kind, "request_acknowledgement"), isNull(tables.outboundMessages.requestId)));
    expect(ack?.to).toEqual([PRIYA]);
    expect(ack?.subject).toBe(`3 requests received (${result.references[0]} to ${result.references[2]}): new users for Meadowbank Care Ltd`);
    for (const reference of result.references) expect(ack?.text).toContain(reference);

    // The confirmation page reads the batch back, for its own requester only.
    const priya = await accountByEmail(world.db, PRIYA);
    const batch = await findImportBatch(world.db, { batchId: result.batchId!, accountId: priya.id, organisationId: world.meadowbankId });
    expect(batch?.requests.map((r) => r.reference)).toEqual(result.references);
    expect(batch?.requests[0]?.title).toBe("New user – Ann Able");
    const tom = await accountByEmail(world.db, TOM);
    expect(await findImportBatch(world.db, { batchId: result.batchId!, accountId: tom.id, organisationId: world.meadowbankId })).toBeNull();
  });

  it("UCP-BULK-1 CC-4 CC-5 UCP-EMAIL-1 a request made from a file is stored exactly as the single form stores it", async () => {
    const single = await submitAs(world, newUserInput({ fullName: "Sol Single", email: "sol.single@meadowbank-care.example.org", emailAttested: "yes", jobTitle: "Scheduler", roleKeys: [], endDate: "2027-01-31", temporary: "yes" }));
    rowNumber = 1;
    const result = await run([
      person("Bea Bulk", { email: "bea.bulk@meadowbank-care.example.org", emailAttested: "yes", jobTitle: "Scheduler", endDate: "31/01/2027", temporary: "yes", purpose: "Arranging home care visits for the people we support" }),
    ]);
    const bulk = await requestRow(world.db, result.rows[0]!.requestId!);
    const form = await requestRow(world.db, single.requestId);
    const comparable = (row: typeof bulk, name: string, email: string) => {
      const text = JSON.stringify({ ...row, id: null, number: null, payload: row.payload }).replaceAll(name, "NAME").replaceAll(email, "EMAIL");
      return JSON.parse(text) as Record<string, unknown>;
    };
    expect(comparable(bulk, "Bea Bulk", "bea.bulk@meadowbank-care.example.org")).toEqual(comparable(form, "Sol Single", "sol.single@meadowbank-care.example.org"));

    const [bulkEvent] = await requestAudit(world.db, bulk.id);
    const [formEvent] = await requestAudit(world.db, form.id);
    const detail = (event: typeof bulkEvent, name: string, email: string, reference: string) =>
      JSON.parse(JSON.stringify(event?.detail).replaceAll(name, "NAME").replaceAll(email, "EMAIL").replaceAll(reference, "REF")) as unknown;
    expect(bulkEvent?.action).toBe(formEvent?.action);
    expect(detail(bulkEvent, "Bea Bulk", "bea.bulk@meadowbank-care.example.org", result.references[0]!)).toEqual(detail(formEvent, "Sol Single", "sol.single@meadowbank-care.example.org", single.reference));
  });

  it("UAP-2.2 the same person twice in the file, or already with an account or an open request, is reported on each row", async () => {
    const open = await submitAs(world, newUserInput({ fullName: "Olly Open", email: "olly.open@nhs.net" }));
    rowNumber = 1;
    const result = await run([
      person("Tom Again", { email: "Tom.Baker@meadowbank-care.example.org", emailAttested: "yes" }),
      person("Lee Again", { email: LEE, emailAttested: "yes" }),
      person("Olly Open"),
      person("Twin One", { email: "twin@nhs.net" }),
      person("Twin Two", { email: "TWIN@nhs.net" }),
      person("Fine Person"),
    ]);
    const byName = new Map(result.rows.map((r) => [r.fullName, r.errors.map((e) => e.message)]));
    expect(byName.get("Tom Again")).toEqual([`${TOM} already has an account. Each person has one account: ask for a role change instead if they need different access`]);
    expect(byName.get("Lee Again")).toEqual([`${LEE} already has an account, which is suspended. Ask for that account to be reinstated instead`]);
    expect(byName.get("Olly Open")).toEqual([`${open.reference} already asks for this and is still open. Wait for it to be actioned, or quote its reference to ask about it`]);
    expect(byName.get("Twin One")).toEqual(["twin@nhs.net is in the file more than once (rows 5 and 6). Each person needs one row"]);
    expect(byName.get("Twin Two")).toEqual(["twin@nhs.net is in the file more than once (rows 5 and 6). Each person needs one row"]);
    expect(byName.get("Fine Person")).toEqual([]);
    expect(result.references).toHaveLength(1);
  });

  it("CC-2a UCP-BULK-1 the batch must fit the licences left: the rows beyond them are refused, and the threshold alert goes once", async () => {
    const free = await freeLicences();
    rowNumber = 1;
    const rows = Array.from({ length: free + 2 }, (_, i) => person(`Lic Person ${i}`));
    const result = await run(rows);
    expect(result.licence).toMatchObject({ allocation: 25, free });
    expect(result.summary).toEqual({ rows: free + 2, ok: free, errors: 2 });
    expect(result.rows.slice(-2).map((r) => r.errors[0]?.message)).toEqual([
      expect.stringMatching(new RegExp(`^No licence left for this person: Meadowbank Care Ltd has ${free} of its 25 licences for 2026 free`)),
      expect.stringMatching(/^No licence left for this person/),
    ]);
    expect(await freeLicences()).toBe(0);
    const alerts = await world.db.select().from(tables.outboundMessages).where(eq(tables.outboundMessages.kind, "licence_alert"));
    expect(alerts).toHaveLength(1);
    expect(alerts[0]?.subject).toBe("Meadowbank Care Ltd has used 25 of its 25 licences for 2026");
    const alertEvents = await world.db.select().from(tables.auditEvents).where(eq(tables.auditEvents.action, "organisation.licence_alert_sent"));
    expect(alertEvents).toHaveLength(1);

    // The alert is the one a single request crossing the threshold sends (same recipients, words and audit).
    const single = await createRequestWorld();
    try {
      const use = await licenceUse(single.db, single.config, single.meadowbankId, licenceYear(single.clock.now()));
      for (let i = 0; i < use.allocation - use.used; i++) {
        await submitAs(single, newUserInput({ fullName: `Lic Person ${i}`, email: `lic.person.${i}@nhs.net` }));
      }
      const [singleAlert] = await single.db.select().from(tables.outboundMessages).where(eq(tables.outboundMessages.kind, "licence_alert"));
      const [singleEvent] = await single.db.select().from(tables.auditEvents).where(eq(tables.auditEvents.action, "organisation.licence_alert_sent"));
      // The single form alerts at the request that crosses (23 of 25); a batch once, with the count after it.
      const words = (m: typeof singleAlert) => ({ to: m?.to, cc: m?.cc, subject: m?.subject.replace(/\d+ of/, "N of"), text: m?.text.replace(/\d+ of the/, "N of the") });
      expect(words(alerts[0])).toEqual(words(singleAlert));
      expect(alerts[0]?.to).toContain(world.config.operator.mailbox);
      expect({ ...alertEvents[0]?.detail, used: null }).toEqual({ ...singleEvent?.detail, used: null });
    } finally {
      await single.dispose();
    }

    // A full organisation: every row is refused, and nothing is written.
    const before = await footprint(world.db);
    const none = await run([person("One More")]);
    expect(none).toMatchObject({ submitted: false, summary: { ok: 0, errors: 1 } });
    expect(await footprint(world.db)).toEqual(before);
  });

  it("UCP-BULK-1 all or nothing: a failure while writing the batch leaves no request, email or audit event behind", async () => {
    await world.handle.superuserExecute(`
      create function bulk_test_refuse() returns trigger language plpgsql as $$
      begin
        if new.title like '%Boom%' then raise exception 'refused by test trigger'; end if;
        return new;
      end $$;
      create trigger bulk_test_refuse before insert on requests for each row execute function bulk_test_refuse();`);
    try {
      rowNumber = 1;
      const before = await footprint(world.db);
      await expect(run([person("Ada First"), person("Boom Second"), person("Cy Third")])).rejects.toThrow();
      expect(await footprint(world.db)).toEqual(before);
      // The same rows without the refused one go in: nothing was left locked or half-written.
      expect((await run([person("Ada First Again"), person("Cy Third Again")])).references).toHaveLength(2);
    } finally {
      await world.handle.superuserExecute("drop trigger bulk_test_refuse on requests; drop function bulk_test_refuse();");
    }
  });

  it("UCP-BULK-1 confirming a report that no longer holds submits nothing and says the rows changed", async () => {
    rowNumber = 1;
    const rows = [person("Kim Keep"), person("Raced Person")];
    const dry = await run(rows, { dryRun: true });
    expect(dry.summary.ok).toBe(2);
    // Someone asks for one of the people between the check and the confirmation.
    await submitAs(world, newUserInput({ fullName: "Raced Person", email: "raced.person@nhs.net" }));
    const before = await footprint(world.db);
    const result = await run(rows, { expectValidRows: dry.rows.filter((r) => r.status === "ok").map((r) => r.row) });
    expect(result).toMatchObject({ submitted: false, changed: true, summary: { ok: 1, errors: 1 } });
    expect(await footprint(world.db)).toEqual(before);
  });

  it("CC-4 AUP-6.3 only an authoriser of the organisation may import: another role or another organisation's Lead is refused", async () => {
    rowNumber = 1;
    const rows = [person("Nope Person")];
    const other = await createProvider(world);
    const closing = await createProvider(world, "closing");
    const before = await footprint(world.db);
    expect((await appError(run(rows, {}, TOM))).code).toBe("forbidden");
    expect((await appError(run(rows, { dryRun: true }, TOM))).code).toBe("forbidden");
    expect((await appError(run(rows, {}, other.lead.email))).code).toBe("forbidden");
    // Its own organisation while it is not active: refused with the reason.
    const refused = await appError(
      importUsers({ db: world.db, actor: await actorFor(world.db, closing.lead.email), clock: world.clock, config: world.config, organisationId: closing.organisation.id, rows, dryRun: false }),
    );
    expect(refused.code).toBe("refused");
    expect(refused.userMessage).toMatch(/is not active in the portal/);
    expect(await footprint(world.db)).toEqual(before);
  });

  it("UCP-BULK-1 a large file is checked and written in one go (1,000 rows)", async () => {
    await world.db
      .update(tables.licenceAllocations)
      .set({ allocation: 2_000 })
      .where(and(eq(tables.licenceAllocations.organisationId, world.meadowbankId), eq(tables.licenceAllocations.year, licenceYear(world.clock.now()))));
    const rows: ImportRow[] = Array.from({ length: 1_000 }, (_, i) => ({ row: i + 2, values: { fullName: `Many ${i}`, email: `many.${i}@nhs.net`, jobTitle: "Scheduler", purpose: "Planning visits for the people we support" } }));
    const result = await run(rows);
    expect(result.summary).toEqual({ rows: 1_000, ok: 1_000, errors: 0 });
    const made = await world.db.select({ number: tables.requests.number }).from(tables.requests).where(sql`${tables.requests.title} like 'New user – Many %'`).orderBy(asc(tables.requests.number));
    expect(made).toHaveLength(1_000);
    expect(new Set(result.references).size).toBe(1_000);
    const mail = await requestMail(world.db, result.rows[0]!.requestId!);
    expect(mail).toEqual([]); // acknowledged once for the batch, not per request
  });
});
