import { readFileSync } from "node:fs";
import path from "node:path";
import { eq, sql } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { tables } from "@/lib/db";
import { ingestEmail } from "@/lib/intake/ingest-email";
import { staffWorkbook } from "@/tests/fixtures/imports/make-xlsx";
import { createRequestWorld, footprint, PRIYA, TOM, type RequestWorld } from "@/tests/integration/requests/fixtures";

/**
 * UCP-BULK-1 by email: a spreadsheet attached by an authenticated Lead correspondent goes
 * through the bulk importer (lib/imports), and the row-by-row results are emailed back.
 */

const FIXTURES = path.resolve(__dirname, "../../fixtures");
const AUTHSERV = "mx.council.example.org";

function spreadsheetEmail(options: { from: string; name: string; id: string; files: { name: string; type: string; bytes: Buffer }[]; authenticated?: boolean }): Buffer {
  const domain = options.from.split("@")[1]!;
  const auth = options.authenticated === false ? "spf=fail smtp.mailfrom=evil.example.com; dmarc=fail header.from=" + domain : `spf=pass smtp.mailfrom=${domain}; dkim=pass header.d=${domain}; dmarc=pass header.from=${domain}`;
  const parts = options.files.map((f) =>
    [`--b1`, `Content-Type: ${f.type}; name="${f.name}"`, `Content-Disposition: attachment; filename="${f.name}"`, "Content-Transfer-Encoding: base64", "", f.bytes.toString("base64").replace(/.{76}/g, "$&\r\n"), ""].join("\r\n"),
  );
  return Buffer.from(
    [
      `Authentication-Results: ${AUTHSERV}; ${auth}`,
      `From: ${options.name} <${options.from}>`,
      "To: brokerage@council.example.org",
      "Subject: New starters",
      `Message-ID: <${options.id}@${domain}>`,
      "MIME-Version: 1.0",
      'Content-Type: multipart/mixed; boundary="b1"',
      "",
      "--b1",
      "Content-Type: text/plain; charset=utf-8",
      "",
      "Please set these people up.",
      "",
      ...parts,
      "--b1--",
      "",
    ].join("\r\n"),
  );
}

describe("spreadsheets by email (UCP-BULK-1)", () => {
  let world: RequestWorld;
  beforeEach(async () => {
    world = await createRequestWorld();
  });
  afterEach(async () => world?.dispose());

  const ingest = (raw: Buffer) => ingestEmail({ db: world.db, clock: world.clock, config: world.config, raw, settings: { authservId: AUTHSERV } });
  const mailTo = (email: string, kind: string) => world.db.select().from(tables.outboundMessages).where(sql`${tables.outboundMessages.to} ? ${email} and ${tables.outboundMessages.kind} = ${kind}`);

  it("UCP-BULK-1 a CSV from the authenticated Lead correspondent becomes new-user requests through the importer; the results, with the refused rows, are emailed back", async () => {
    const csv = readFileSync(path.join(FIXTURES, "imports/clean.csv"));
    const broken = Buffer.from(`${csv.toString("utf8").trimEnd()}\r\nNo Email,not-an-address,Carer,,,,,Direct care of our residents,,,\r\n`);
    const outcome = await ingest(spreadsheetEmail({ from: PRIYA, name: "Priya Shah", id: "bulk-csv", files: [{ name: "new-starters.csv", type: "text/csv", bytes: broken }] }));
    expect(outcome).toMatchObject({ kind: "bulk", action: "bulk_imported", folder: "processed", senderVerified: true });

    const made = await world.db.select().from(tables.requests).where(eq(tables.requests.type, "new_user"));
    const rows = csv.toString("utf8").trim().split(/\r?\n/).length - 1;
    expect(made).toHaveLength(rows);
    expect(made.every((r) => r.channel === "email")).toBe(true);
    const [results] = await mailTo(PRIYA, "intake_reply");
    expect(results!.text).toContain(`We read ${rows + 1} rows from new-starters.csv`);
    expect(results!.text).toMatch(/Row \d+ \(not-an-address\): /);
    expect(results!.text).toContain(`${rows} became new-user requests`);
    // The importer's own batch acknowledgement goes too, as from the web.
    expect(await mailTo(PRIYA, "request_acknowledgement")).toHaveLength(1);
    const [audit] = await world.db.select().from(tables.auditEvents).where(eq(tables.auditEvents.action, "email.bulk_imported"));
    expect(audit!.detail).toMatchObject({ fileName: "new-starters.csv", rows: rows + 1, errorRows: [rows + 2] });
    const [bulk] = await world.db.select().from(tables.auditEvents).where(eq(tables.auditEvents.action, "request.bulk_submitted"));
    expect(bulk).toMatchObject({ channel: "email" });
  });

  it("UCP-BULK-1 an XLSX workbook is read the same way", async () => {
    const outcome = await ingest(spreadsheetEmail({ from: PRIYA, name: "Priya Shah", id: "bulk-xlsx", files: [{ name: "staff.xlsx", type: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", bytes: staffWorkbook() }] }));
    expect(outcome).toMatchObject({ kind: "bulk", action: "bulk_imported" });
    const [results] = await mailTo(PRIYA, "intake_reply");
    expect(results!.text).toContain("We read 3 rows from staff.xlsx");
  });

  it("UCP-BULK-1 UAP-A.8 a spreadsheet from an unauthenticated sender, or from a user who is not an authoriser, imports nothing and goes to staff", async () => {
    const csv = readFileSync(path.join(FIXTURES, "imports/clean.csv"));
    const before = await footprint(world.db);
    const forged = await ingest(spreadsheetEmail({ from: PRIYA, name: "Priya Shah", id: "bulk-forged", authenticated: false, files: [{ name: "a.csv", type: "text/csv", bytes: csv }] }));
    expect(forged).toMatchObject({ kind: "bulk", action: "needs_attention", senderVerified: false });
    const tom = await ingest(spreadsheetEmail({ from: TOM, name: "Tom Baker", id: "bulk-tom", files: [{ name: "b.csv", type: "text/csv", bytes: csv }] }));
    expect(tom).toMatchObject({ kind: "bulk", action: "refused", folder: "needs_attention" });
    expect((await mailTo(TOM, "intake_reply"))[0]!.text).toContain("We could not import b.csv");
    expect((await footprint(world.db)).requests).toBe(before.requests);
  });
});
