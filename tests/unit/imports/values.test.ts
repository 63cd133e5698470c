import { describe, expect, it } from "vitest";
import { fieldForHeader, headerKey, matchHeader, missingFields } from "@/lib/imports/columns";
import { readDate, readRoles, readYesNo } from "@/lib/imports/values";
import { requestTestConfig } from "@/tests/unit/requests/request-config";

const config = requestTestConfig();

describe("UCP-BULK-1 headers and values as spreadsheets write them", () => {
  it.each([
    ["Full name", "fullName"],
    ["NAME", "fullName"],
    [" Email Address * ", "email"],
    ["E-mail", "email"],
    ["Work email (required)", "email"],
    ["Role title", "jobTitle"],
    ["Job title", "jobTitle"],
    ["Security role", "roles"],
    ["Role", "roles"],
    ["Registration body", "registrationBody"],
    ["Registration No.", "registrationNumber"],
    ["End date (dd/mm/yyyy)", "endDate"],
    ["Purpose", "purpose"],
    ["IG training date", "igTrainingDate"],
    ["Surname", "lastName"],
    ["Temporary (yes/no)", "temporary"],
    ["Notes", null],
  ])("reads the header %j as %s", (header, field) => {
    expect(fieldForHeader(header)).toBe(field);
  });

  it("matches a header row, listing ignored columns and what is missing", () => {
    const match = matchHeader(["Email", "Notes", "First name", "Last name", "Role title", "", "Team"]);
    expect([...match.fields.entries()]).toEqual([
      [0, "email"],
      [2, "firstName"],
      [3, "lastName"],
      [4, "jobTitle"],
    ]);
    expect(match.ignored).toEqual(["Notes", "Team"]);
    expect(missingFields(match)).toEqual(["purpose"]);
    expect(headerKey("A&E  Liaison-Officer")).toBe("aandeliaisonofficer");
  });

  it.each([
    ["2027-03-31", "2027-03-31"],
    ["2027/3/1", "2027-03-01"],
    ["2027-03-31 00:00:00", "2027-03-31"],
    ["2027-03-31T00:00:00Z", "2027-03-31"],
    ["31/03/2027", "2027-03-31"],
    ["1/3/2027", "2027-03-01"],
    ["31-03-2027", "2027-03-31"],
    ["31.03.2027", "2027-03-31"],
    ["31/03/27", "2027-03-31"],
    ["31 March 2027", "2027-03-31"],
    ["1st Sept 2027", "2027-09-01"],
    ["31 Mar 2027", "2027-03-31"],
    ["", null],
  ])("reads the date %j as %j", (text, iso) => {
    expect(readDate(text, "End date")).toEqual({ ok: true, iso });
  });

  it.each([
    ["31/02/2027", /End date "31\/02\/2027" is not a real date \(day, then month, then year\)/],
    ["03/31/2027", /is not a real date/],
    ["next year", /End date "next year" is not a date\. Write it like 31\/12\/2027 or 2027-12-31/],
    ["2027-13-01", /is not a real date/],
    ["31 Smarch 2027", /is not a date/],
  ])("refuses the date %j", (text, message) => {
    const reading = readDate(text, "End date");
    expect(reading.ok).toBe(false);
    if (!reading.ok) expect(reading.message).toMatch(message);
  });

  it("reads yes and no as spreadsheets spell them", () => {
    for (const yes of ["yes", "Y", "TRUE", "1", "x"]) expect(readYesNo(yes, "Temporary")).toEqual({ ok: true, value: true });
    for (const no of ["no", "N", "false", "0", "", undefined]) expect(readYesNo(no, "Temporary")).toEqual({ ok: true, value: false });
    expect(readYesNo("perhaps", "Temporary")).toEqual({ ok: false, message: 'Temporary should be yes or no, not "perhaps"' });
  });

  it("UCP-RBAC-2 reads security roles by name or key, several at once, ignoring case and punctuation", () => {
    expect(readRoles("Care co-ordinator; FINANCE", config)).toEqual({ keys: ["care_coordinator", "finance"], unknown: [] });
    expect(readRoles("read_only, Superuser", config)).toEqual({ keys: ["read_only"], unknown: ["Superuser"] });
    expect(readRoles("", config)).toEqual({ keys: [], unknown: [] });
  });
});
