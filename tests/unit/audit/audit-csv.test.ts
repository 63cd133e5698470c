import { describe, expect, it } from "vitest";
import { auditCsvColumns, auditRowsToCsv, toCsv, ukTime } from "@/lib/audit/audit-csv";
import type { AuditRow } from "@/lib/audit/search-audit";

function row(overrides: Partial<AuditRow> = {}): AuditRow {
  return {
    seq: 7,
    id: "0b5c2c4e-8f7e-4a35-9d0c-3b4f5a6e7d81",
    occurredAt: new Date("2025-07-01T08:05:09.000Z"),
    action: "account.suspended",
    channel: "web",
    actorId: "3f1c6a52-8d0e-4b7a-9c61-2e5d4f7a8b90",
    actorLabel: "Sam Patel",
    organisationId: null,
    organisationName: null,
    subjectAccountId: null,
    subjectName: null,
    subjectEmail: null,
    requestId: null,
    clientAddress: "10.0.0.1",
    userAgent: "Firefox",
    detail: { reason: "Left the company" },
    prevHash: "a".repeat(64),
    hash: "b".repeat(64),
    ...overrides,
  };
}

describe("audit CSV (UAP-A.9, AUP-4.1)", () => {
  it("UAP-A.9 the first chunk starts with a byte order mark and the header row; later chunks have neither", () => {
    const first = auditRowsToCsv([row()], { first: true });
    expect(first.startsWith("\uFEFFSequence,Event ID,Time (UTC),Time (UK),Action,")).toBe(true);
    const lines = first.slice(1).split("\r\n");
    expect(lines).toHaveLength(3); // header, one row, and the empty string after the final CRLF
    expect(lines[1]).toBe(
      `7,0b5c2c4e-8f7e-4a35-9d0c-3b4f5a6e7d81,2025-07-01T08:05:09.000Z,2025-07-01 09:05:09,account.suspended,web,3f1c6a52-8d0e-4b7a-9c61-2e5d4f7a8b90,Sam Patel,,,,,,,10.0.0.1,Firefox,"{""reason"":""Left the company""}",${"a".repeat(64)},${"b".repeat(64)}`,
    );
    const later = auditRowsToCsv([row({ seq: 6 })], { first: false });
    expect(later.startsWith("6,")).toBe(true);
    expect(later).not.toContain("Sequence");
    expect(auditRowsToCsv([], { first: true })).toBe(`\uFEFF${auditCsvColumns.map((c) => c.header).join(",")}\r\n`);
  });

  it("UAP-A.9 commas, quotes and line breaks are quoted as RFC 4180 says", () => {
    expect(toCsv([["Shah, Priya", 'She said "yes"', "two\nlines", "plain"]])).toBe('"Shah, Priya","She said ""yes""","two\nlines",plain\r\n');
  });

  it.each([
    ["=HYPERLINK(\"http://evil.example\",\"click\")", "'=HYPERLINK"],
    ["+44 20 7946 0000", "'+44"],
    ["-2+3", "'-2+3"],
    ["@SUM(A1:A2)", "'@SUM"],
    ["\tcmd", "'\tcmd"],
    ["\rcmd", "'\rcmd"],
  ])("UAP-A.9 a cell starting like a formula (%j) is prefixed with ' so a spreadsheet shows it as text", (value, start) => {
    const csv = toCsv([[value]]);
    const cell = csv.replace(/\r\n$/, "").replace(/^"|"$/g, "").replace(/""/g, '"');
    expect(cell.startsWith(start)).toBe(true);
  });

  it("UAP-A.9 an event's own text is guarded too: an actor label or user agent cannot smuggle a formula", () => {
    const csv = auditRowsToCsv([row({ actorLabel: "=cmd|' /C calc'!A0", userAgent: "@evil" })], { first: false });
    expect(csv).toContain(",'=cmd|' /C calc'!A0,");
    expect(csv).toContain(",'@evil,");
    expect(csv).not.toMatch(/,=|,@/);
  });

  it.each([
    ["2025-03-30T00:59:59.000Z", "2025-03-30 00:59:59"],
    ["2025-03-30T01:00:00.000Z", "2025-03-30 02:00:00"],
    ["2025-07-01T08:05:09.999Z", "2025-07-01 09:05:09"],
    ["2025-10-26T00:30:00.000Z", "2025-10-26 01:30:00"],
    ["2025-10-26T01:30:00.000Z", "2025-10-26 01:30:00"],
    ["2025-12-31T23:59:59.000Z", "2025-12-31 23:59:59"],
  ])("UAP-A.9 the UK time of %s is %s, across the clock changes", (instant, expected) => {
    expect(ukTime(new Date(instant))).toBe(expected);
  });

  it("UAP-A.9 safe text is left alone, and empty values stay empty", () => {
    expect(toCsv([["account.created", "", null, undefined, 12]])).toBe("account.created,,,,12\r\n");
  });
});
