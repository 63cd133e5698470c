import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { AppError } from "@/lib/errors";
import { readImportFile, zipUnpackedSize } from "@/lib/imports/read-import-file";
import { importTemplateCsv } from "@/lib/imports/template";
import { staffWorkbook } from "@/tests/fixtures/imports/make-xlsx";
import { buildXlsx, zip } from "@/tests/fixtures/imports/xlsx-writer";

const fixture = (name: string) => readFileSync(new URL(`../../fixtures/imports/${name}`, import.meta.url));

async function fileError(work: Promise<unknown>): Promise<string> {
  const error = await work.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AppError);
  expect((error as AppError).code).toBe("validation");
  return (error as AppError).fieldErrors.file ?? "";
}

describe("UCP-BULK-1 reading an uploaded file", () => {
  it("UCP-BULK-1 reads a clean CSV in the template's column order", async () => {
    const file = await readImportFile({ bytes: fixture("clean.csv"), fileName: "clean.csv" });
    expect(file.format).toBe("csv");
    expect(file.delimiter).toBe(",");
    expect(file.headerRow).toBe(1);
    expect(file.rows.map((r) => r.row)).toEqual([2, 3, 4]);
    expect(file.rows[2]!.values).toEqual({
      fullName: "Mary Nurse",
      email: "mary.nurse@nhs.net",
      jobTitle: "Nurse",
      roles: "Nurse",
      registrationBody: "NMC",
      registrationNumber: "12A3456E",
      purpose: "Clinical care of the people we support",
      igTrainingDate: "2026-02-14",
    });
    expect(file.ignoredColumns).toEqual([]);
  });

  it("UCP-BULK-1 reads Excel's UTF-8 CSV: byte-order mark, Windows line endings, semicolons, accents", async () => {
    const file = await readImportFile({ bytes: fixture("excel-semicolon-bom-crlf.csv") });
    expect(file.delimiter).toBe(";");
    expect(file.columns[0]).toEqual({ field: "fullName", header: "Full name" });
    expect(file.rows.map((r) => r.values.fullName)).toEqual(["Zoë Brönte", "Seán O'Brien"]);
    expect(file.rows[0]!.values).toMatchObject({ email: "zoe.bronte@nhs.net", endDate: "31/12/2027", temporary: "yes" });
    expect(file.rows[0]!.values.temporary).toBe("yes"); // no trailing \r
  });

  it("UCP-BULK-1 reads quoted values with commas, doubled quotes and line breaks, and drops stray spaces", async () => {
    const file = await readImportFile({ bytes: fixture("quoted-commas.csv") });
    expect(file.delimiter).toBe(",");
    expect(file.rows[0]!.values).toEqual({
      fullName: "Smith, Jo",
      email: "jo.smith@nhs.net",
      jobTitle: "Care Coordinator",
      roles: "Care coordinator",
      purpose: 'Visits, calls and "check-ins" for the people we support',
    });
    // A non-breaking space is a space; a line break inside a quoted value is kept as one space.
    expect(file.rows[1]!.values).toMatchObject({ fullName: "Lee Chan", jobTitle: "Finance Officer", purpose: "Payments for the people we support, and their purchase orders" });
  });

  it("UCP-BULK-1 finds a header of synonyms in any order below a title row, and skips empty rows", async () => {
    const file = await readImportFile({ bytes: fixture("synonyms-reordered.csv") });
    expect(file.headerRow).toBe(2);
    expect(file.columns.map((c) => c.field)).toEqual(["purpose", "jobTitle", "email", "fullName", "roles", "endDate", "igTrainingDate"]);
    expect(file.rows.map((r) => r.row)).toEqual([3, 4]);
    expect(file.rows[0]!.values).toEqual({
      purpose: "Helping people we support with their daily care",
      jobTitle: "Care Coordinator",
      email: "Amy.Green@NHS.net",
      fullName: "Amy Green",
      roles: "Care coordinator",
      igTrainingDate: "2026-01-10",
    });
    expect(file.rows[1]!.values.endDate).toBe("15/01/2028");
  });

  it("UCP-BULK-1 joins First name and Surname, and reads tab-separated text", async () => {
    const file = await readImportFile({ bytes: fixture("first-last-tab.tsv") });
    expect(file.delimiter).toBe("\t");
    expect(file.rows[0]!.values).toEqual({ fullName: "Anna Kowalska", email: "anna.kowalska@nhs.net", jobTitle: "Scheduler", purpose: "Planning visits for the people we support" });
  });

  it("UCP-BULK-1 reads Windows-1252 and UTF-16 text as older Excels save it", async () => {
    const text = "Full name,Email,Job title,Purpose\r\nRené Müller,rene.muller@nhs.net,Scheduler,Visits for the people we support\r\n";
    const latin = await readImportFile({ bytes: Buffer.from(text, "latin1") });
    expect(latin.rows[0]!.values.fullName).toBe("René Müller");
    const utf16 = await readImportFile({ bytes: Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text.replaceAll(",", "\t"), "utf16le")]) });
    expect(utf16.rows[0]!.values.fullName).toBe("René Müller");
  });

  it("UCP-BULK-1 reads an XLSX: skips a guidance sheet, finds the header under a title, keeps spreadsheet row numbers, converts dates and numbers", async () => {
    const bytes = fixture("staff.xlsx");
    // The committed fixture is what make-xlsx.ts writes.
    expect(Buffer.compare(bytes, staffWorkbook())).toBe(0);
    const file = await readImportFile({ bytes, fileName: "staff.xlsx" });
    expect(file.format).toBe("xlsx");
    expect(file.sheet).toBe("Users");
    expect(file.headerRow).toBe(3);
    expect(file.rows.map((r) => r.row)).toEqual([4, 6, 7]);
    expect(file.rows[0]!.values).toEqual({
      email: "xl.one@nhs.net",
      fullName: "Xavier One",
      jobTitle: "Care Coordinator",
      roles: "Care coordinator",
      endDate: "2027-03-31",
      temporary: "yes",
      purpose: "Home care visits for the people we support",
      // A date column typed as plain day numbers is read as dates.
      igTrainingDate: "2025-12-09",
    });
    expect(file.rows[1]!.values).toMatchObject({ registrationBody: "NMC", registrationNumber: "12345678", temporary: "no", igTrainingDate: "2026-01-15" });
    expect(file.rows[2]!.values.endDate).toBe("31/02/2027");
  });

  it("UCP-BULK-1 reads the downloadable template as a header with no people", async () => {
    expect(importTemplateCsv().startsWith("\uFEFFFull name,Email address,Job title,Security role,")).toBe(true);
    expect(await fileError(readImportFile({ bytes: Buffer.from(importTemplateCsv(), "utf8") }))).toMatch(/header row but no people/);
  });

  it.each([
    ["an empty file", Buffer.alloc(0), "file.csv", /is empty/],
    ["no header we recognise", fixture("no-header.csv"), "no-header.csv", /must have a header row naming its columns/],
    ["a required column missing", fixture("missing-columns.csv"), "missing-columns.csv", /must have columns for Job title and Purpose/],
    ["the same column twice", Buffer.from("Full name,Email,Email address,Job title,Purpose\nA,a@nhs.net,b@nhs.net,Scheduler,Care\n"), "twice.csv", /more than one Email address column/],
    ["a binary file", Buffer.from([0x00, 0x01, 0x02, 0x03, 0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0]), "picture.csv", /must be a CSV or an Excel workbook/],
    ["an old .xls workbook", Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0]), "staff.xls", /old-style \.xls workbook or is password protected/],
    ["a broken .xlsx", Buffer.from("PK\u0003\u0004 not really a zip"), "staff.xlsx", /could not be read as an Excel workbook/],
    ["a spreadsheet name on text", Buffer.from("hello"), "staff.xlsx", /could not be read as a spreadsheet/],
    ["a quote never closed", Buffer.from('Full name,Email,Job title,Purpose\n"Jo,jo@nhs.net,Scheduler,Care\n'), "open.csv", /quoted value .* is never closed/],
    ["a workbook with no header", buildXlsx([{ name: "Sheet1", rows: [["x", "y"], [1, 2]] }]), "book.xlsx", /must have a header row/],
  ])("UCP-BULK-1 refuses %s with a clear message", async (_name, bytes, fileName, message) => {
    expect(await fileError(readImportFile({ bytes, fileName }))).toMatch(message);
  });

  it("UCP-BULK-1 refuses more rows than the cap, and a file over the size limit", async () => {
    const lines = ["Full name,Email,Job title,Purpose", ...Array.from({ length: 12 }, (_, i) => `P ${i},p${i}@nhs.net,Scheduler,Care`)];
    const bytes = Buffer.from(lines.join("\n"));
    expect((await readImportFile({ bytes, maxRows: 12 })).rows).toHaveLength(12);
    expect(await fileError(readImportFile({ bytes, maxRows: 10 }))).toBe("The selected file has 12 people in it. Upload at most 10 at a time: split the list into smaller files");
    expect(await fileError(readImportFile({ bytes, maxBytes: 100 }))).toBe("The selected file must be smaller than 100 bytes");
  });

  it("UCP-BULK-1 refuses a workbook that would unpack to more than it is worth reading (zip bomb)", async () => {
    const big = zip([{ name: "xl/worksheets/sheet1.xml", data: Buffer.alloc(101 * 1024 * 1024, 0x20) }]);
    expect(big.length).toBeLessThan(1024 * 1024);
    expect(zipUnpackedSize(big)).toBe(101 * 1024 * 1024);
    expect(await fileError(readImportFile({ bytes: big, fileName: "bomb.xlsx" }))).toMatch(/too large to read/);
  });
});
