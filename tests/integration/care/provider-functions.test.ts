import { parse } from "csv-parse/sync";
import { and, desc, eq, inArray } from "drizzle-orm";
import { PDFDocument } from "pdf-lib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Actor } from "@/lib/audit/events";
import { listFlaggedLookups } from "@/lib/care/flagged-lookups";
import { careScope } from "@/lib/care/need-to-know";
import { recordCareSearch, recordIndividualView } from "@/lib/care/record-care-access";
import * as tables from "@/lib/db/schema";
import { importFeed } from "@/lib/feeds/import-feed";
import { systemActor } from "@/lib/audit/events";
import { exportRemittance } from "@/lib/payments/export-remittance";
import { getRemittance, listRemittances, listScheduledPayments } from "@/lib/payments/queries";
import { exportPurchaseOrderLines } from "@/lib/purchase-orders/export-lines";
import { getPurchaseOrder, listPurchaseOrders } from "@/lib/purchase-orders/queries";
import { purchaseOrderFiltersSchema } from "@/lib/purchase-orders/schema";
import { accountByEmail, actorFor, AMINA, createRequestWorld, PRIYA, TOM, type RequestWorld } from "../requests/fixtures";

/*
 * Provider functions over the demo feed (lib/demo/care-demo.ts): Meadowbank Care (AB1C2) has
 * eight packages — six active, PKG-5007 ended 30 days ago (still within need to know),
 * PKG-5008 ended 200 days ago (gone); PKG-5003's contract hides payments; Hilltop House's
 * package, order, payment and remittance must never reach Meadowbank.
 */
describe("provider functions: purchase orders, payments, need to know", { timeout: 120_000 }, () => {
  let world: RequestWorld;
  let amina: Actor;
  let aminaViewer: { accountId: string; organisationId: string };

  beforeAll(async () => {
    world = await createRequestWorld();
    amina = await actorFor(world.db, AMINA);
    aminaViewer = { accountId: amina.accountId!, organisationId: world.meadowbankId };
  });
  afterAll(async () => {
    await world?.dispose();
  });

  const scope = (days?: number) =>
    careScope({ organisationId: world.meadowbankId, clock: world.clock, config: days === undefined ? world.config : { accounts: { ...world.config.accounts, endedPackageVisibleDays: days } } });
  const filters = (input: Record<string, unknown> = {}) => purchaseOrderFiltersSchema.parse(input);
  const orderBySource = async (sourceId: string) => (await world.db.select().from(tables.purchaseOrders).where(eq(tables.purchaseOrders.sourceId, sourceId)))[0]!;
  const eventsOf = (action: string) => world.db.select().from(tables.auditEvents).where(eq(tables.auditEvents.action, action)).orderBy(desc(tables.auditEvents.seq));

  it("AUP-2.1b lists live purchase orders for the packages the organisation currently provides, with filter and search", async () => {
    const live = await listPurchaseOrders(world.db, scope(), filters());
    const people = new Set(live.rows.map((r) => r.individualName));
    expect(people).toEqual(new Set(["Edith Marlow", "George Fenwick", "Winifred Ashby", "Harold Pennington", "Mabel Tranter", "Arthur Coombes"]));
    expect(live.rows.every((r) => r.status === "live")).toBe(true);

    const all = await listPurchaseOrders(world.db, scope(), filters({ status: "all" }));
    const allPeople = new Set(all.rows.map((r) => r.individualName));
    expect(allPeople.has("Dorothy Kettle")).toBe(true); // ended 30 days ago: within 90
    expect(allPeople.has("Reginald Oakes")).toBe(false); // ended 200 days ago
    expect(allPeople.has("Florence Hale")).toBe(false); // Hilltop House's

    const searched = await listPurchaseOrders(world.db, scope(), filters({ status: "all", q: "fenwick" }));
    expect(searched.rows.map((r) => r.individualName)).toEqual(["George Fenwick", "George Fenwick"]);
    const byNumber = await listPurchaseOrders(world.db, scope(), filters({ status: "all", q: searched.rows[0]!.number }));
    expect(byNumber.rows.map((r) => r.id)).toEqual([searched.rows[0]!.id]);
    expect((await listPurchaseOrders(world.db, scope(), filters({ q: "100%_" }))).total).toBe(0);

    const detail = await getPurchaseOrder(world.db, scope(), searched.rows[0]!.id);
    expect(detail).toMatchObject({ individual: { fullName: "George Fenwick" }, order: { lineCount: 4 } });
    const hilltopOrder = (await world.db.select().from(tables.purchaseOrders).innerJoin(tables.carePackages, eq(tables.carePackages.id, tables.purchaseOrders.carePackageId)).where(eq(tables.carePackages.sourceId, "PKG-6001")))[0]!;
    expect(await getPurchaseOrder(world.db, scope(), hilltopOrder.purchase_orders.id)).toBeNull();
    expect(await getPurchaseOrder(world.db, scope(), "not-a-uuid")).toBeNull();
  });

  it("AUP-2.1b need to know: ended packages drop out after the configured number of days", async () => {
    const names = async (days: number) => new Set((await listPurchaseOrders(world.db, scope(days), filters({ status: "all" }))).rows.map((r) => r.individualName));
    expect((await names(90)).has("Dorothy Kettle")).toBe(true);
    expect((await names(10)).has("Dorothy Kettle")).toBe(false);
    expect((await names(365)).has("Reginald Oakes")).toBe(true);
  });

  it("AUP-2.1e shows scheduled payments and remittance lines only where the package's contract allows", async () => {
    const payments = await listScheduledPayments(world.db, scope(), 1);
    expect(payments.rows.map((p) => p.reference).sort()).toEqual(["Annual uplift adjustment", "CT-5001", "CT-5001", "CT-5002", "CT-5004"]);
    const advices = await listRemittances(world.db, scope());
    expect(advices.map((a) => a.reference)).toEqual(["RA-2026-0142", "RA-2026-0118"]);
    const [recent] = advices;
    // REM-7001 has four lines; PKG-5003's (night sitting, £1,584.00) is hidden by its contract.
    expect(recent).toMatchObject({ lineCount: 3, allLines: 4, totalPence: 137200 + 102900 + 6420 });
    const detail = await getRemittance(world.db, scope(), recent!.id);
    expect(detail!.lines.map((l) => l.description)).not.toContain("Night sitting service");

    const hilltop = (await world.db.select().from(tables.remittances).where(eq(tables.remittances.sourceId, "REM-7101")))[0]!;
    expect(await getRemittance(world.db, scope(), hilltop.id)).toBeNull();

    // The contract's rule comes from the feed: switching PKG-5003 on shows its payment.
    const [pkg] = await world.db.select().from(tables.carePackages).where(eq(tables.carePackages.sourceId, "PKG-5003"));
    await world.db.update(tables.carePackages).set({ paymentsVisible: true }).where(eq(tables.carePackages.id, pkg!.id));
    expect((await listScheduledPayments(world.db, scope(), 1)).rows.map((p) => p.reference)).toContain("CT-5003");
    await world.db.update(tables.carePackages).set({ paymentsVisible: false }).where(eq(tables.carePackages.id, pkg!.id));
  });

  it("AUP-4.1 AUP-5.2f exports a purchase order's line items as CSV and logs the export (who, which order, how many lines)", async () => {
    const order = await orderBySource("PO-40102");
    let csv = "";
    const result = await exportPurchaseOrderLines({ db: world.db, actor: amina, clock: world.clock, scope: scope(), purchaseOrderId: order.id, write: (c) => void (csv += c) });
    expect(result.rowCount).toBe(4);
    const records = parse(csv, { bom: true, columns: true }) as Record<string, string>[];
    expect(records).toHaveLength(4);
    expect(records[0]).toMatchObject({ "Purchase order": order.number, Service: "Home care — personal care", Units: "14.00", Unit: "hour", "Rate (GBP)": "24.50", "Cost (GBP)": "343.00" });
    expect(records.reduce((sum, r) => sum + Math.round(Number(r["Cost (GBP)"]) * 100), 0)).toBe(order.totalPence);

    const [event] = await eventsOf("purchase_order.exported");
    expect(event).toMatchObject({ actorId: amina.accountId, organisationId: world.meadowbankId, detail: { purchaseOrderId: order.id, number: order.number, format: "csv", rowCount: 4 } });

    // Another organisation's order: refused, nothing written, nothing logged as exported.
    const hilltopOrder = await orderBySource("PO-40117");
    let leaked = "";
    await expect(exportPurchaseOrderLines({ db: world.db, actor: amina, clock: world.clock, scope: scope(), purchaseOrderId: hilltopOrder.id, write: (c) => void (leaked += c) })).rejects.toMatchObject({ code: "not_found" });
    expect(leaked).toBe("");
    expect(await eventsOf("purchase_order.exported")).toHaveLength(1);
  });

  it("AUP-4.1 AUP-5.2f a remittance advice as CSV and as PDF, each export logged", async () => {
    const tom = await actorFor(world.db, TOM);
    const [advice] = await world.db.select().from(tables.remittances).where(eq(tables.remittances.sourceId, "REM-7001"));
    const csv = await exportRemittance({ db: world.db, actor: tom, clock: world.clock, scope: scope(), remittanceId: advice!.id, format: "csv", organisationName: "Meadowbank Care Ltd" });
    const rows = parse(Buffer.from(csv.body).toString("utf8"), { bom: true, columns: true }) as Record<string, string>[];
    expect(rows.map((r) => r["Amount (GBP)"])).toEqual(expect.arrayContaining(["1372.00", "1029.00", "64.20"]));
    expect(rows).toHaveLength(3);
    const pdf = await exportRemittance({ db: world.db, actor: tom, clock: world.clock, scope: scope(), remittanceId: advice!.id, format: "pdf", organisationName: "Meadowbank Care Ltd" });
    expect(Buffer.from(pdf.body.slice(0, 5)).toString()).toBe("%PDF-");
    expect((await PDFDocument.load(pdf.body)).getTitle()).toBe("Remittance advice RA-2026-0142");
    const events = await eventsOf("remittance.exported");
    expect(events.map((e) => [e.actorId, e.detail.format, e.detail.rowCount])).toEqual([
      [tom.accountId, "pdf", 3],
      [tom.accountId, "csv", 3],
    ]);
  });

  it("PRIV-2a every view of an individual's record is logged against the account", async () => {
    const order = await orderBySource("PO-40102");
    const found = (await getPurchaseOrder(world.db, scope(), order.id))!;
    const path = `/portal/purchase-orders/${order.id}`;
    const result = await recordIndividualView({ db: world.db, actor: amina, clock: world.clock, viewer: aminaViewer, individual: found.individual, path });
    expect(result.flagged).toBe(false);
    const [event] = await eventsOf("individual.viewed");
    expect(event).toMatchObject({ actorId: amina.accountId, organisationId: world.meadowbankId, detail: { individualId: found.individual.id, path } });
  });

  it("PRIV-2b a search is logged with its terms and without the account", async () => {
    await recordCareSearch({ db: world.db, actor: { ...amina, clientAddress: "192.0.2.7", userAgent: "Test" }, clock: world.clock, viewer: aminaViewer, scope: "purchase orders", terms: { q: "Fenwick", status: "" } });
    const [event] = await eventsOf("search.performed");
    expect(event).toMatchObject({ actorId: null, actorLabel: "Anonymous", organisationId: null, subjectAccountId: null, clientAddress: null, userAgent: null, detail: { scope: "purchase orders", terms: { q: "Fenwick" } } });
    expect(await eventsOf("lookup.flagged")).toHaveLength(0);
  });

  it("CC-7e a search or look-up naming the user or a colleague is flagged for staff review, without the terms", async () => {
    const priya = await accountByEmail(world.db, PRIYA);
    const tom = await accountByEmail(world.db, TOM);
    // Amina searches her own name, then a colleague's written surname first; then a surname alone (not flagged).
    expect((await recordCareSearch({ db: world.db, actor: amina, clock: world.clock, viewer: aminaViewer, scope: "purchase orders", terms: { q: "amina okafor" } })).flagged).toBe(true);
    expect((await recordCareSearch({ db: world.db, actor: amina, clock: world.clock, viewer: aminaViewer, scope: "purchase orders", terms: { q: "Shah, Priya" } })).flagged).toBe(true);
    expect((await recordCareSearch({ db: world.db, actor: amina, clock: world.clock, viewer: aminaViewer, scope: "purchase orders", terms: { q: "Shah" } })).flagged).toBe(false);

    // A person receiving care who shares a colleague's name: opening their record is flagged too.
    const feed = { db: world.db, actor: systemActor("cli", "Finance feed"), clock: world.clock };
    await importFeed({ ...feed, kind: "individuals", rows: [{ row: 2, values: { sourceId: "IND-T1", fullName: "Thomas Baker" } }, { row: 3, values: { sourceId: "IND-T2", fullName: "Tom Baker" } }] });
    await importFeed({ ...feed, kind: "care_packages", rows: [{ row: 2, values: { sourceId: "PKG-T2", organisation: "AB1C2", individual: "IND-T2", service: "Home care", startDate: "2026-01-01" } }] });
    const [tomAsIndividual] = await world.db.select().from(tables.individuals).where(eq(tables.individuals.sourceId, "IND-T2"));
    expect((await recordIndividualView({ db: world.db, actor: amina, clock: world.clock, viewer: aminaViewer, individual: tomAsIndividual!, path: "/portal/purchase-orders/x" })).flagged).toBe(true);

    const flags = await world.db.select().from(tables.auditEvents).where(and(eq(tables.auditEvents.action, "lookup.flagged"), eq(tables.auditEvents.actorId, amina.accountId!))).orderBy(tables.auditEvents.seq);
    expect(flags.map((f) => [f.subjectAccountId, f.detail.match, f.detail.via])).toEqual([
      [amina.accountId, "own", "search"],
      [priya.id, "colleague", "search"],
      [tom.id, "colleague", "record"],
    ]);
    // The flag never carries the terms: those stay in the anonymous search record (PRIV-2b).
    expect(JSON.stringify(flags.map((f) => f.detail))).not.toMatch(/okafor|shah/i);

    const queue = await listFlaggedLookups(world.db);
    expect(queue.slice(0, 3).map((f) => [f.actorLabel, f.match, f.namedName, f.via])).toEqual([
      ["Amina Okafor", "colleague", "Tom Baker", "record"],
      ["Amina Okafor", "colleague", "Priya Shah", "search"],
      ["Amina Okafor", "own", "Amina Okafor", "search"],
    ]);
    expect(await world.db.select().from(tables.individuals).where(inArray(tables.individuals.sourceId, ["IND-T1"]))).toHaveLength(1);
  });
});
