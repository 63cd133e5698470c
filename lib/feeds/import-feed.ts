import { inArray, sql, type SQL } from "drizzle-orm";
import type { PgColumn, PgTable } from "drizzle-orm/pg-core";
import type { Actor } from "../audit/events";
import { recordAudit } from "../audit/record-audit";
import type { Clock } from "../clock";
import { carePackages, individuals, payments, purchaseOrderLines, purchaseOrders, remittanceLines, remittances } from "../db/schema/care";
import { organisations } from "../db/schema/organisations";
import type { Database, Transaction } from "../db/types";
import { londonToday } from "../care/dates";
import { feedColumns, feedRowSchemas, labelOf, lineCost, type FeedKind, type FeedRow } from "./kinds";
import type { FeedFileRow } from "./read-feed-file";

/**
 * The feed importer (issue 10 §2): rows of one kind from the operator's finance and
 * care-management system, upserted by the source system's identifiers. Every row is checked
 * and reported (created, updated, unchanged or error with the reasons); valid rows are written
 * and invalid ones are not, in one transaction with its `feed.imported` audit event. Running
 * the same file twice changes nothing the second time (every row "unchanged"). Nothing is ever
 * deleted: a package that ends arrives with status ended and its end date. A dry run does all
 * of it — lookups, upserts, totals — and rolls back, so its report is the real run's.
 */

export type FeedRowStatus = "created" | "updated" | "unchanged" | "error";

export interface FeedRowResult {
  row: number;
  sourceId: string | null;
  status: FeedRowStatus;
  errors: { column: string | null; message: string }[];
}

export interface FeedImportResult {
  kind: FeedKind;
  dryRun: boolean;
  summary: Record<FeedRowStatus, number> & { rows: number };
  rows: FeedRowResult[];
}

export interface ImportFeedOptions {
  db: Database;
  actor: Actor;
  clock: Clock;
  kind: FeedKind;
  rows: FeedFileRow[];
  dryRun?: boolean;
  /** Where the rows came from, for the audit event. */
  source?: { fileName?: string; format?: string };
}

const CHUNK = 1_000;

class DryRunRollback extends Error {}

export async function importFeed(options: ImportFeedOptions): Promise<FeedImportResult> {
  const { kind, clock } = options;
  const dryRun = options.dryRun === true;
  const results: FeedRowResult[] = [];
  const parsed: { result: FeedRowResult; value: FeedRow<FeedKind> }[] = [];
  const firstRowOf = new Map<string, number>();

  for (const fileRow of options.rows) {
    const input: Record<string, string> = {};
    for (const column of feedColumns[kind]) input[column.field] = fileRow.values[column.field] ?? "";
    const sourceId = input.sourceId!.trim() || null;
    const result: FeedRowResult = { row: fileRow.row, sourceId, status: "error", errors: [] };
    results.push(result);
    const check = feedRowSchemas[kind].safeParse(input);
    if (!check.success) {
      result.errors = check.error.issues.map((issue) => {
        const field = typeof issue.path[0] === "string" ? issue.path[0] : null;
        return { column: field ? labelOf(kind, field) : null, message: issue.message };
      });
      continue;
    }
    const first = firstRowOf.get(check.data.sourceId);
    if (first !== undefined) {
      result.errors.push({ column: "Source ID", message: `Source ID ${check.data.sourceId} is also on row ${first}; only the first is imported` });
      continue;
    }
    firstRowOf.set(check.data.sourceId, fileRow.row);
    parsed.push({ result, value: check.data });
  }

  const run = async (tx: Transaction) => {
    const today = londonToday(clock);
    const prepared = await prepare(tx, kind, parsed, today);
    const valid = parsed.filter((p) => p.result.errors.length === 0);
    await upsert(tx, kind, valid.map((p) => prepared.get(p.result)!), valid, clock.now());
    await afterUpsert(tx, kind, prepared.touched);
    const summary = summarise(results);
    if (!dryRun) {
      await recordAudit(tx, options.actor, clock, {
        action: "feed.imported",
        detail: { kind, fileName: options.source?.fileName ?? null, format: options.source?.format ?? null, ...summary },
      });
    }
    return summary;
  };

  let summary: FeedImportResult["summary"];
  if (dryRun) {
    try {
      await options.db.transaction(async (tx) => {
        await run(tx);
        throw new DryRunRollback();
      });
    } catch (error) {
      if (!(error instanceof DryRunRollback)) throw error;
    }
    summary = summarise(results);
  } else {
    summary = await options.db.transaction(run);
  }
  return { kind, dryRun, summary, rows: results };
}

function summarise(results: FeedRowResult[]): FeedImportResult["summary"] {
  const summary = { rows: results.length, created: 0, updated: 0, unchanged: 0, error: 0 };
  for (const r of results) summary[r.status]++;
  return summary;
}

// ---------------------------------------------------------------------------------------------
// References: source identifiers and ODS codes to row ids, looked up a chunk at a time.

async function lookup<T extends { key: string }>(keys: string[], find: (chunk: string[]) => Promise<T[]>): Promise<Map<string, T>> {
  const found = new Map<string, T>();
  const unique = [...new Set(keys)];
  for (let i = 0; i < unique.length; i += CHUNK) {
    for (const row of await find(unique.slice(i, i + CHUNK))) found.set(row.key, row);
  }
  return found;
}

const organisationsByOds = (tx: Transaction, codes: string[]) =>
  lookup(codes, (chunk) =>
    tx
      .select({ key: sql<string>`upper(${organisations.odsCode})`, id: organisations.id, kind: organisations.kind })
      .from(organisations)
      .where(inArray(sql`upper(${organisations.odsCode})`, chunk)),
  );
const packagesBySource = (tx: Transaction, ids: string[]) =>
  lookup(ids, (chunk) =>
    tx.select({ key: carePackages.sourceId, id: carePackages.id, organisationId: carePackages.organisationId }).from(carePackages).where(inArray(carePackages.sourceId, chunk)),
  );

interface Prepared extends Map<FeedRowResult, Record<string, unknown>> {
  /** Rows whose totals the upsert changes (purchase orders, remittances). */
  touched: Set<string>;
}

/** Resolves each valid row's references and builds the row to write; a failed reference becomes the row's error. */
async function prepare(tx: Transaction, kind: FeedKind, parsed: { result: FeedRowResult; value: FeedRow<FeedKind> }[], today: string): Promise<Prepared> {
  const out = new Map() as Prepared;
  out.touched = new Set();
  const fail = (result: FeedRowResult, field: string, message: string) => result.errors.push({ column: labelOf(kind, field), message });
  const orgs = async (codes: (string | null)[]) => organisationsByOds(tx, codes.filter((c): c is string => !!c));
  const providerOrg = (found: Map<string, { id: string; kind: string }>, result: FeedRowResult, code: string) => {
    const org = found.get(code);
    if (!org) fail(result, "organisation", `There is no organisation with the ODS code ${code}`);
    else if (org.kind !== "provider") fail(result, "organisation", `${code} is the operator, not a provider`);
    return org?.kind === "provider" ? org.id : null;
  };

  switch (kind) {
    case "individuals":
      for (const { result, value } of parsed as { result: FeedRowResult; value: FeedRow<"individuals"> }[]) out.set(result, { ...value });
      break;
    case "care_packages": {
      const rows = parsed as { result: FeedRowResult; value: FeedRow<"care_packages"> }[];
      const found = await orgs(rows.map((r) => r.value.organisation));
      const people = await lookup(
        rows.map((r) => r.value.individual),
        (chunk) => tx.select({ key: individuals.sourceId, id: individuals.id }).from(individuals).where(inArray(individuals.sourceId, chunk)),
      );
      for (const { result, value } of rows) {
        const organisationId = providerOrg(found, result, value.organisation);
        const person = people.get(value.individual);
        if (!person) fail(result, "individual", `There is no individual with source ID ${value.individual}: import individuals first`);
        if (!organisationId || !person) continue;
        // No status: the package has ended once its end date has passed.
        const status = value.status ?? (value.endDate && value.endDate < today ? "ended" : "active");
        out.set(result, {
          sourceId: value.sourceId,
          organisationId,
          individualId: person.id,
          service: value.service,
          startDate: value.startDate,
          endDate: value.endDate,
          status,
          paymentsVisible: value.paymentsVisible ?? false,
        });
      }
      break;
    }
    case "purchase_orders": {
      const rows = parsed as { result: FeedRowResult; value: FeedRow<"purchase_orders"> }[];
      const packages = await packagesBySource(
        tx,
        rows.map((r) => r.value.carePackage),
      );
      const found = await orgs(rows.map((r) => r.value.organisation));
      for (const { result, value } of rows) {
        const pkg = packages.get(value.carePackage);
        if (!pkg) {
          fail(result, "carePackage", `There is no care package with source ID ${value.carePackage}: import care packages first`);
          continue;
        }
        if (value.organisation) {
          const organisationId = providerOrg(found, result, value.organisation);
          if (organisationId && organisationId !== pkg.organisationId) fail(result, "organisation", `Care package ${value.carePackage} is provided by another organisation than ${value.organisation}`);
          if (result.errors.length) continue;
        }
        out.set(result, {
          sourceId: value.sourceId,
          organisationId: pkg.organisationId,
          carePackageId: pkg.id,
          number: value.number,
          status: value.status ?? "live",
          periodFrom: value.periodFrom,
          periodTo: value.periodTo,
        });
      }
      break;
    }
    case "purchase_order_lines": {
      const rows = parsed as { result: FeedRowResult; value: FeedRow<"purchase_order_lines"> }[];
      const orders = await lookup(
        rows.map((r) => r.value.purchaseOrder),
        (chunk) => tx.select({ key: purchaseOrders.sourceId, id: purchaseOrders.id }).from(purchaseOrders).where(inArray(purchaseOrders.sourceId, chunk)),
      );
      // A line moved to another order changes the old order's totals too.
      const before = await lookup(
        rows.map((r) => r.value.sourceId),
        (chunk) => tx.select({ key: purchaseOrderLines.sourceId, orderId: purchaseOrderLines.purchaseOrderId }).from(purchaseOrderLines).where(inArray(purchaseOrderLines.sourceId, chunk)),
      );
      for (const { result, value } of rows) {
        const order = orders.get(value.purchaseOrder);
        if (!order) {
          fail(result, "purchaseOrder", `There is no purchase order with source ID ${value.purchaseOrder}: import purchase orders first`);
          continue;
        }
        const previous = before.get(value.sourceId);
        if (previous) out.touched.add(previous.orderId);
        out.touched.add(order.id);
        out.set(result, {
          sourceId: value.sourceId,
          purchaseOrderId: order.id,
          service: value.service,
          units: value.units,
          unit: value.unit,
          ratePence: value.rate,
          periodFrom: value.periodFrom,
          periodTo: value.periodTo,
          costPence: value.cost ?? lineCost(value.units, value.rate),
        });
      }
      break;
    }
    case "payments": {
      const rows = parsed as { result: FeedRowResult; value: FeedRow<"payments"> }[];
      const found = await orgs(rows.map((r) => r.value.organisation));
      const packages = await packagesBySource(
        tx,
        rows.flatMap((r) => (r.value.carePackage ? [r.value.carePackage] : [])),
      );
      for (const { result, value } of rows) {
        const organisationId = providerOrg(found, result, value.organisation);
        const pkg = value.carePackage ? packages.get(value.carePackage) : null;
        if (value.carePackage && !pkg) fail(result, "carePackage", `There is no care package with source ID ${value.carePackage}`);
        if (pkg && organisationId && pkg.organisationId !== organisationId) fail(result, "carePackage", `Care package ${value.carePackage} is provided by another organisation than ${value.organisation}`);
        if (result.errors.length || !organisationId) continue;
        out.set(result, {
          sourceId: value.sourceId,
          organisationId,
          carePackageId: pkg?.id ?? null,
          reference: value.reference,
          dueDate: value.dueDate,
          amountPence: value.amount,
          status: value.status ?? "scheduled",
        });
      }
      break;
    }
    case "remittances": {
      const rows = parsed as { result: FeedRowResult; value: FeedRow<"remittances"> }[];
      const found = await orgs(rows.map((r) => r.value.organisation));
      for (const { result, value } of rows) {
        const organisationId = providerOrg(found, result, value.organisation);
        if (!organisationId) continue;
        out.set(result, { sourceId: value.sourceId, organisationId, reference: value.reference, paymentDate: value.paymentDate });
      }
      break;
    }
    case "remittance_lines": {
      const rows = parsed as { result: FeedRowResult; value: FeedRow<"remittance_lines"> }[];
      const advices = await lookup(
        rows.map((r) => r.value.remittance),
        (chunk) => tx.select({ key: remittances.sourceId, id: remittances.id, organisationId: remittances.organisationId }).from(remittances).where(inArray(remittances.sourceId, chunk)),
      );
      const packages = await packagesBySource(
        tx,
        rows.flatMap((r) => (r.value.carePackage ? [r.value.carePackage] : [])),
      );
      const before = await lookup(
        rows.map((r) => r.value.sourceId),
        (chunk) => tx.select({ key: remittanceLines.sourceId, remittanceId: remittanceLines.remittanceId }).from(remittanceLines).where(inArray(remittanceLines.sourceId, chunk)),
      );
      for (const { result, value } of rows) {
        const advice = advices.get(value.remittance);
        if (!advice) fail(result, "remittance", `There is no remittance with source ID ${value.remittance}: import remittances first`);
        const pkg = value.carePackage ? packages.get(value.carePackage) : null;
        if (value.carePackage && !pkg) fail(result, "carePackage", `There is no care package with source ID ${value.carePackage}`);
        if (advice && pkg && pkg.organisationId !== advice.organisationId) fail(result, "carePackage", `Care package ${value.carePackage} is provided by another organisation than the remittance's`);
        if (result.errors.length || !advice) continue;
        const previous = before.get(value.sourceId);
        if (previous) out.touched.add(previous.remittanceId);
        out.touched.add(advice.id);
        out.set(result, {
          sourceId: value.sourceId,
          remittanceId: advice.id,
          carePackageId: pkg?.id ?? null,
          purchaseOrderNumber: value.purchaseOrderNumber,
          description: value.description,
          periodFrom: value.periodFrom,
          periodTo: value.periodTo,
          amountPence: value.amount,
        });
      }
      break;
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Writing: INSERT … ON CONFLICT (source_id) DO UPDATE only when a value differs, so the
// returned rows tell created (xmax = 0) from updated, and a row not returned was unchanged.

const tables: Record<FeedKind, PgTable & { sourceId: PgColumn; updatedAt: PgColumn }> = {
  individuals,
  care_packages: carePackages,
  purchase_orders: purchaseOrders,
  purchase_order_lines: purchaseOrderLines,
  payments,
  remittances,
  remittance_lines: remittanceLines,
};

async function upsert(tx: Transaction, kind: FeedKind, values: Record<string, unknown>[], rows: { result: FeedRowResult }[], now: Date): Promise<void> {
  if (values.length === 0) return;
  const table = tables[kind];
  const fields = Object.keys(values[0]!).filter((f) => f !== "sourceId");
  const columns = fields.map((f) => (table as unknown as Record<string, PgColumn>)[f]!);
  const set: Record<string, SQL | Date> = { updatedAt: now };
  fields.forEach((f, i) => (set[f] = sql.raw(`excluded."${columns[i]!.name}"`)));
  const changed = sql.join(
    columns.map((c) => sql`${c} is distinct from ${sql.raw(`excluded."${c.name}"`)}`),
    sql` or `,
  );
  const byId = new Map(rows.map((r) => [r.result.sourceId!, r.result]));
  for (const r of rows) r.result.status = "unchanged";
  for (let i = 0; i < values.length; i += CHUNK) {
    const chunk = values.slice(i, i + CHUNK).map((v) => ({ ...v, createdAt: now, updatedAt: now }));
    const written = (await tx
      .insert(table)
      .values(chunk as never)
      .onConflictDoUpdate({ target: table.sourceId, set: set as never, setWhere: changed })
      .returning({ sourceId: table.sourceId, inserted: sql<boolean>`(xmax = 0)` })) as { sourceId: string; inserted: boolean }[];
    for (const w of written) {
      const result = byId.get(w.sourceId);
      if (result) result.status = w.inserted ? "created" : "updated";
    }
  }
}

/** Keeps the totals the lists show (an order's cost and line count, an advice's total) true to their lines. */
async function afterUpsert(tx: Transaction, kind: FeedKind, touched: Set<string>): Promise<void> {
  const ids = [...touched];
  for (let i = 0; i < ids.length; i += CHUNK) {
    const chunk = ids.slice(i, i + CHUNK);
    if (kind === "purchase_order_lines") {
      await tx
        .update(purchaseOrders)
        .set({
          totalPence: sql`coalesce((select sum(l.cost_pence) from purchase_order_lines l where l.purchase_order_id = ${purchaseOrders.id}), 0)`,
          lineCount: sql`(select count(*) from purchase_order_lines l where l.purchase_order_id = ${purchaseOrders.id})`,
        })
        .where(inArray(purchaseOrders.id, chunk));
    } else if (kind === "remittance_lines") {
      await tx
        .update(remittances)
        .set({ totalPence: sql`coalesce((select sum(l.amount_pence) from remittance_lines l where l.remittance_id = ${remittances.id}), 0)` })
        .where(inArray(remittances.id, chunk));
    }
  }
}
