import { and, eq, inArray } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { systemActor } from "@/lib/audit/events";
import * as tables from "@/lib/db/schema";
import { AppError } from "@/lib/errors";
import { importFeed } from "@/lib/feeds/import-feed";
import type { FeedKind } from "@/lib/feeds/kinds";
import { readFeedFile } from "@/lib/feeds/read-feed-file";
import { createRequestWorld, type RequestWorld } from "../requests/fixtures";

/*
 * The feed importer (issue 10 §2) over files as they arrive: byte-order marks, Windows line
 * endings, quoted commas, bad dates, unknown organisations, duplicates, JSON. Upserts by source
 * ID, idempotent, a per-row report, never deletes; a dry run changes nothing.
 */
describe("feed import", { timeout: 120_000 }, () => {
  let world: RequestWorld;
  const actor = systemActor("cli", "Finance feed");

  beforeAll(async () => {
    world = await createRequestWorld();
  });
  afterAll(async () => {
    await world?.dispose();
  });

  const run = (kind: FeedKind, text: string, options: { dryRun?: boolean; fileName?: string } = {}) => {
    const file = readFeedFile({ bytes: new TextEncoder().encode(text), kind, fileName: options.fileName ?? `${kind}.csv` });
    return importFeed({ db: world.db, actor, clock: world.clock, kind, rows: file.rows, dryRun: options.dryRun, source: { fileName: options.fileName ?? `${kind}.csv`, format: file.format } });
  };
  const individualsCsv =
    "\uFEFFSource ID,Full name,Date of birth,NHS number\r\n" +
    'T-1,"Quill, Agatha",12/04/1940,999 000 9001\r\n' +
    "T-2,Barnaby Rudge,1944-02-30,\r\n" + // no such date
    "T-3,Cecily Vane,1951-06-01,\r\n" +
    "T-1,Agatha Quill again,1940-04-12,\r\n" + // duplicate source id
    ",No Source,1950-01-01,\r\n" +
    "\r\n";

  it("reads a messy CSV, reports every row and writes the valid ones; a dry run first changes nothing", async () => {
    const dry = await run("individuals", individualsCsv, { dryRun: true });
    expect(dry.summary).toEqual({ rows: 5, created: 2, updated: 0, unchanged: 0, error: 3 });
    expect(await world.db.select().from(tables.individuals).where(inArray(tables.individuals.sourceId, ["T-1", "T-3"]))).toEqual([]);

    const real = await run("individuals", individualsCsv);
    expect(real.rows.map((r) => [r.row, r.sourceId, r.status])).toEqual([
      [2, "T-1", "created"],
      [3, "T-2", "error"],
      [4, "T-3", "created"],
      [5, "T-1", "error"],
      [6, null, "error"],
    ]);
    expect(real.rows[1]!.errors).toEqual([{ column: "Date of birth", message: expect.stringMatching(/not a real date|not a date/) }]);
    expect(real.rows[3]!.errors[0]!.message).toMatch(/also on row 2/);
    expect(real.rows[4]!.errors[0]).toEqual({ column: "Source ID", message: "Source ID is missing" });
    const [agatha] = await world.db.select().from(tables.individuals).where(eq(tables.individuals.sourceId, "T-1"));
    expect(agatha).toMatchObject({ fullName: "Quill, Agatha", dateOfBirth: "1940-04-12", nhsNumber: "9990009001" });
  });

  it("is idempotent: the same file again leaves every row unchanged; a changed value is an update", async () => {
    const again = await run("individuals", individualsCsv);
    expect(again.summary).toMatchObject({ created: 0, updated: 0, unchanged: 2, error: 3 });
    const changed = await run("individuals", "source_id;full_name;dob\nT-3;Cecily Vane-Smith;01/06/1951\n");
    expect(changed.rows.map((r) => r.status)).toEqual(["updated"]);
  });

  it("care packages: unknown organisations and individuals are row errors; an ended package is marked ended, never deleted", async () => {
    const csv = [
      "Source ID,Organisation ODS code,Individual source ID,Service,Start date,End date,Status,Payments visible",
      "T-PKG-1,ab1c2,T-1,Home care,2026-01-01,,,yes",
      "T-PKG-2,ZZ9Z9,T-1,Home care,2026-01-01,,,",
      "T-PKG-3,AB1C2,T-404,Home care,2026-01-01,,,",
      "T-PKG-4,AB1C2,T-3,Night sitting,2026-01-01,2026-03-31,,maybe",
      "T-PKG-5,AB1C2,T-3,Night sitting,2026-01-01,2026-03-31,,no",
      "T-PKG-6,AB1C2,T-3,Respite,2026-01-01,,ended,no",
      "T-PKG-7,XC001,T-3,Respite,2026-01-01,,,no",
    ].join("\n");
    const result = await run("care_packages", csv);
    expect(result.rows.map((r) => [r.sourceId, r.status, r.errors.map((e) => e.column)])).toEqual([
      ["T-PKG-1", "created", []],
      ["T-PKG-2", "error", ["Organisation ODS code"]],
      ["T-PKG-3", "error", ["Individual source ID"]],
      ["T-PKG-4", "error", ["Payments visible"]],
      ["T-PKG-5", "created", []],
      ["T-PKG-6", "error", ["End date"]],
      ["T-PKG-7", "error", ["Organisation ODS code"]],
    ]);
    expect(result.rows[1]!.errors[0]!.message).toBe("There is no organisation with the ODS code ZZ9Z9");
    const rows = await world.db.select().from(tables.carePackages).where(inArray(tables.carePackages.sourceId, ["T-PKG-1", "T-PKG-5"]));
    // The clock is 2026-05-05: a package whose end date has passed arrives ended.
    expect(Object.fromEntries(rows.map((r) => [r.sourceId, [r.status, r.paymentsVisible]]))).toEqual({ "T-PKG-1": ["active", true], "T-PKG-5": ["ended", false] });

    // The next feed leaves T-PKG-5 out and ends T-PKG-1: nothing is deleted.
    const next = await run("care_packages", "Source ID,Organisation ODS code,Individual source ID,Service,Start date,End date,Status\nT-PKG-1,AB1C2,T-1,Home care,2026-01-01,2026-05-01,ended\n");
    expect(next.rows.map((r) => r.status)).toEqual(["updated"]);
    const after = await world.db.select().from(tables.carePackages).where(inArray(tables.carePackages.sourceId, ["T-PKG-1", "T-PKG-5"]));
    expect(after.map((r) => [r.sourceId, r.status]).sort()).toEqual([
      ["T-PKG-1", "ended"],
      ["T-PKG-5", "ended"],
    ]);
  });

  it("purchase orders and lines from JSON: the order takes its package's organisation, totals follow the lines", async () => {
    const orders = await run(
      "purchase_orders",
      JSON.stringify({ rows: [{ sourceId: "T-PO-1", carePackage: "T-PKG-1", number: "PO-T1", periodFrom: "2026-04-01", periodTo: "2026-04-28" }, { sourceId: "T-PO-2", carePackage: "T-PKG-1", organisation: "HT6E7", number: "PO-T2", periodFrom: "2026-04-01" }] }),
      { fileName: "orders.json" },
    );
    expect(orders.rows.map((r) => r.status)).toEqual(["created", "error"]);
    expect(orders.rows[1]!.errors[0]!.message).toMatch(/another organisation/);
    const lines = await run(
      "purchase_order_lines",
      [
        "Source ID,Purchase order,Service,Units,Unit,Rate,Period from,Period to,Cost",
        'T-L-1,T-PO-1,"Personal care, mornings",10.5,hour,£24.50,2026-04-01,2026-04-07,',
        "T-L-2,T-PO-1,Personal care,7,hour,24.50,2026-04-08,2026-04-14,171.50",
        "T-L-3,T-PO-1,Personal care,7,hour,24.50,2026-04-15,2026-04-10,171.50",
        "T-L-4,T-PO-9,Personal care,7,hour,24.50,2026-04-15,2026-04-21,",
        "T-L-5,T-PO-1,Personal care,seven,hour,24.5p,2026-04-15,2026-04-21,",
      ].join("\r\n"),
    );
    expect(lines.rows.map((r) => [r.sourceId, r.status, r.errors.map((e) => e.column)])).toEqual([
      ["T-L-1", "created", []],
      ["T-L-2", "created", []],
      ["T-L-3", "error", ["Period to"]],
      ["T-L-4", "error", ["Purchase order source ID"]],
      ["T-L-5", "error", ["Units", "Rate"]],
    ]);
    const [order] = await world.db.select().from(tables.purchaseOrders).where(eq(tables.purchaseOrders.sourceId, "T-PO-1"));
    const [pkg] = await world.db.select().from(tables.carePackages).where(eq(tables.carePackages.sourceId, "T-PKG-1"));
    expect(order).toMatchObject({ organisationId: pkg!.organisationId, status: "live", lineCount: 2, totalPence: 25725 + 17150 });
    const [first] = await world.db.select().from(tables.purchaseOrderLines).where(eq(tables.purchaseOrderLines.sourceId, "T-L-1"));
    expect(first).toMatchObject({ service: "Personal care, mornings", units: "10.50", ratePence: 2450, costPence: 25725 });
  });

  it("payments and remittances: a package of another organisation is refused; an advice's total is its lines'", async () => {
    const paid = await run("payments", "Source ID,Organisation,Care package,Reference,Due date,Amount,Status\nT-PAY-1,AB1C2,T-PKG-1,CT-1,2026-05-12,100.00,\nT-PAY-2,HT6E7,T-PKG-1,CT-1,2026-05-12,100.00,\nT-PAY-3,AB1C2,,Uplift,2026-05-12,(12.50),refunded\n");
    expect(paid.rows.map((r) => [r.status, r.errors.map((e) => e.column)])).toEqual([
      ["created", []],
      ["error", ["Care package source ID"]],
      ["error", ["Status"]],
    ]);
    await run("remittances", "Source ID,Organisation,Advice number,Payment date\nT-REM-1,AB1C2,RA-T1,2026-05-01\n");
    await run("remittance_lines", "Source ID,Remittance,Care package,Description,Amount\nT-RL-1,T-REM-1,T-PKG-1,Home care,100.00\nT-RL-2,T-REM-1,,Mileage,-5.25\n");
    const [advice] = await world.db.select().from(tables.remittances).where(eq(tables.remittances.sourceId, "T-REM-1"));
    expect(advice!.totalPence).toBe(9475);
  });

  it("a real import is audited with its counts; a dry run is not", async () => {
    const before = await world.db.select().from(tables.auditEvents).where(eq(tables.auditEvents.action, "feed.imported"));
    await run("individuals", "Source ID,Full name\nT-9,Nobody Yet\n", { dryRun: true });
    await run("individuals", "Source ID,Full name\nT-10,Somebody Now\n", { fileName: "people.csv" });
    const after = await world.db.select().from(tables.auditEvents).where(and(eq(tables.auditEvents.action, "feed.imported"), eq(tables.auditEvents.channel, "cli")));
    expect(after.length - before.filter((e) => e.channel === "cli").length).toBe(1);
    expect(after.at(-1)!.detail).toMatchObject({ kind: "individuals", fileName: "people.csv", rows: 1, created: 1, error: 0 });
  });

  it("refuses a file with no Source ID column, or that is not a list, before touching the database", () => {
    const refusal = (text: string) => {
      try {
        readFeedFile({ bytes: new TextEncoder().encode(text), kind: "individuals" });
      } catch (error) {
        return error instanceof AppError ? error.userMessage : String(error);
      }
      return "read";
    };
    expect(refusal("Name,Date\nA,B\n")).toMatch(/no Source ID column/);
    expect(refusal('{"a":1}')).toMatch(/array of records/);
    expect(refusal("")).toMatch(/empty/);
  });
});
