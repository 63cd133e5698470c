import { systemActor } from "../audit/events";
import { addDays, londonToday } from "../care/dates";
import type { Clock } from "../clock";
import type { Database } from "../db/types";
import { importFeed } from "../feeds/import-feed";
import type { FeedKind } from "../feeds/kinds";

/**
 * Demo data from the "finance and care-management system" for the active demo provider,
 * Meadowbank Care (AB1C2), so every provider function has something real-looking to show —
 * and one closed provider's package (Hilltop House) that Meadowbank must never see. Invented
 * people; NHS numbers from the 999 range kept for testing. Loaded through the feed importer,
 * exactly as a real feed arrives, with dates relative to today.
 */

const people = [
  ["IND-1001", "Edith Marlow", "1938-04-12", "9990001001"],
  ["IND-1002", "George Fenwick", "1945-09-30", "9990001002"],
  ["IND-1003", "Winifred Ashby", "1932-01-05", ""],
  ["IND-1004", "Harold Pennington", "1950-11-19", "9990001004"],
  ["IND-1005", "Mabel Tranter", "1941-07-23", "9990001005"],
  ["IND-1006", "Arthur Coombes", "1947-03-08", "9990001006"],
  ["IND-1007", "Dorothy Kettle", "1936-12-01", "9990001007"],
  ["IND-1008", "Reginald Oakes", "1943-05-17", ""],
  ["IND-2001", "Florence Hale", "1939-02-14", "9990002001"],
] as const;

/** [package, individual, service, started days ago, ended days ago (or null), payments visible, weekly hours, rate £] */
const packages = [
  ["PKG-5001", "IND-1001", "Home care — personal care", 400, null, true, 14, "24.50"],
  ["PKG-5002", "IND-1002", "Home care — personal care", 300, null, true, 10.5, "24.50"],
  ["PKG-5003", "IND-1003", "Night sitting service", 250, null, false, 20, "19.80"],
  ["PKG-5004", "IND-1004", "Home care — double-handed calls", 180, null, true, 21, "49.00"],
  ["PKG-5005", "IND-1005", "Reablement", 90, null, true, 7, "26.10"],
  ["PKG-5006", "IND-1006", "Home care — personal care", 500, null, true, 12, "24.50"],
  ["PKG-5007", "IND-1007", "Respite at home", 150, 30, true, 8, "22.00"],
  ["PKG-5008", "IND-1008", "Home care — personal care", 700, 200, true, 10, "23.75"],
] as const;

export async function seedCareDemo(options: { db: Database; clock: Clock }): Promise<void> {
  const { db, clock } = options;
  const today = londonToday(clock);
  const day = (n: number) => addDays(today, n);
  const actor = systemActor("system", "Demo seed");
  const load = async (kind: FeedKind, rows: Record<string, string>[]) => {
    const result = await importFeed({ db, actor, clock, kind, rows: rows.map((values, i) => ({ row: i + 2, values })), source: { fileName: `demo-${kind}.csv`, format: "csv" } });
    if (result.summary.error > 0) throw new Error(`demo ${kind}: ${JSON.stringify(result.rows.filter((r) => r.errors.length))}`);
  };

  await load(
    "individuals",
    people.map(([sourceId, fullName, dateOfBirth, nhsNumber]) => ({ sourceId, fullName, dateOfBirth, nhsNumber })),
  );
  await load("care_packages", [
    ...packages.map(([sourceId, individual, service, started, ended, visible]) => ({
      sourceId,
      organisation: "AB1C2",
      individual,
      service,
      startDate: day(-started),
      endDate: ended === null ? "" : day(-ended),
      status: ended === null ? "active" : "ended",
      paymentsVisible: visible ? "yes" : "no",
    })),
    { sourceId: "PKG-6001", organisation: "HT6E7", individual: "IND-2001", service: "Residential care", startDate: day(-600), endDate: day(-20), status: "ended", paymentsVisible: "yes" },
  ]);

  // Each package: the current four-week order (live) and the one before it (closed), weekly lines.
  const orders: Record<string, string>[] = [];
  const lines: Record<string, string>[] = [];
  let po = 40100;
  for (const [pkg, , service, started, ended, , hours, rate] of [...packages, ["PKG-6001", "", "Residential care", 600, 20, true, 1, "812.00"] as const]) {
    const last = ended === null ? 0 : -ended;
    for (const [offset, status] of [
      [-56, "closed"],
      [-28, "live"],
    ] as const) {
      const from = day(last + offset);
      if (last + offset < -started) continue;
      const sourceId = `PO-${++po}`;
      orders.push({ sourceId, carePackage: pkg, number: `PO${po}`, status: ended !== null ? "closed" : status, periodFrom: from, periodTo: addDays(from, 27) });
      for (let week = 0; week < 4; week++) {
        const weekFrom = addDays(from, week * 7);
        lines.push({
          sourceId: `${sourceId}-L${week + 1}`,
          purchaseOrder: sourceId,
          service,
          units: String(hours),
          unit: pkg === "PKG-6001" ? "week" : "hour",
          rate,
          periodFrom: weekFrom,
          periodTo: addDays(weekFrom, 6),
        });
      }
    }
  }
  await load("purchase_orders", orders);
  await load("purchase_order_lines", lines);

  await load("payments", [
    { sourceId: "PAY-9001", organisation: "AB1C2", carePackage: "PKG-5001", reference: "CT-5001", dueDate: day(7), amount: "1372.00", status: "scheduled" },
    { sourceId: "PAY-9002", organisation: "AB1C2", carePackage: "PKG-5002", reference: "CT-5002", dueDate: day(7), amount: "1029.00", status: "scheduled" },
    { sourceId: "PAY-9003", organisation: "AB1C2", carePackage: "PKG-5003", reference: "CT-5003", dueDate: day(7), amount: "1584.00", status: "scheduled" },
    { sourceId: "PAY-9004", organisation: "AB1C2", carePackage: "PKG-5004", reference: "CT-5004", dueDate: day(7), amount: "4116.00", status: "held" },
    { sourceId: "PAY-9005", organisation: "AB1C2", carePackage: "PKG-5001", reference: "CT-5001", dueDate: day(-21), amount: "1372.00", status: "paid" },
    { sourceId: "PAY-9006", organisation: "AB1C2", carePackage: "", reference: "Annual uplift adjustment", dueDate: day(14), amount: "250.00", status: "scheduled" },
    { sourceId: "PAY-9101", organisation: "HT6E7", carePackage: "PKG-6001", reference: "CT-6001", dueDate: day(-21), amount: "3248.00", status: "paid" },
  ]);
  await load("remittances", [
    { sourceId: "REM-7001", organisation: "AB1C2", reference: "RA-2026-0142", paymentDate: day(-21) },
    { sourceId: "REM-7002", organisation: "AB1C2", reference: "RA-2026-0118", paymentDate: day(-49) },
    { sourceId: "REM-7101", organisation: "HT6E7", reference: "RA-2026-0143", paymentDate: day(-21) },
  ]);
  await load("remittance_lines", [
    { sourceId: "REM-7001-1", remittance: "REM-7001", carePackage: "PKG-5001", purchaseOrderNumber: "PO40101", description: "Home care — personal care", periodFrom: day(-56), periodTo: day(-29), amount: "1372.00" },
    { sourceId: "REM-7001-2", remittance: "REM-7001", carePackage: "PKG-5002", purchaseOrderNumber: "PO40103", description: "Home care — personal care", periodFrom: day(-56), periodTo: day(-29), amount: "1029.00" },
    { sourceId: "REM-7001-3", remittance: "REM-7001", carePackage: "PKG-5003", purchaseOrderNumber: "PO40105", description: "Night sitting service", periodFrom: day(-56), periodTo: day(-29), amount: "1584.00" },
    { sourceId: "REM-7001-4", remittance: "REM-7001", carePackage: "", purchaseOrderNumber: "", description: "Mileage allowance", periodFrom: day(-56), periodTo: day(-29), amount: "64.20" },
    { sourceId: "REM-7002-1", remittance: "REM-7002", carePackage: "PKG-5006", purchaseOrderNumber: "", description: "Home care — personal care", periodFrom: day(-84), periodTo: day(-57), amount: "1176.00" },
    { sourceId: "REM-7002-2", remittance: "REM-7002", carePackage: "PKG-5007", purchaseOrderNumber: "", description: "Respite at home", periodFrom: day(-84), periodTo: day(-57), amount: "704.00" },
    { sourceId: "REM-7101-1", remittance: "REM-7101", carePackage: "PKG-6001", purchaseOrderNumber: "", description: "Residential care", periodFrom: day(-48), periodTo: day(-21), amount: "3248.00" },
  ]);
}
