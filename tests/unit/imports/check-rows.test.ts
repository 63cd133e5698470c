import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { checkRows, type RowReport } from "@/lib/imports/check-import";
import { readImportFile } from "@/lib/imports/read-import-file";
import { requestTestConfig } from "@/tests/unit/requests/request-config";

const config = requestTestConfig();
const today = "2026-05-05";
const fixture = (name: string) => readFileSync(new URL(`../../fixtures/imports/${name}`, import.meta.url));

async function report(name: string): Promise<Map<string, RowReport>> {
  const file = await readImportFile({ bytes: fixture(name), fileName: name });
  const { reports } = checkRows({ rows: file.rows, config, today });
  return new Map(reports.map((r) => [r.fullName ?? `row ${r.row}`, r]));
}

const messages = (r: RowReport | undefined) => (r?.errors ?? []).map((e) => `${e.column ?? "Row"}: ${e.message}`);

describe("UCP-BULK-1 every row is checked with the single new-user form's rules", () => {
  it("UCP-BULK-1 UCP-RBAC-2 the clean fixtures are valid, with roles from the column or the job title", async () => {
    for (const name of ["clean.csv", "excel-semicolon-bom-crlf.csv", "quoted-commas.csv", "synonyms-reordered.csv", "first-last-tab.tsv"]) {
      const rows = [...(await report(name)).values()];
      expect(rows.filter((r) => r.status === "error").map((r) => [name, r.row, messages(r)])).toEqual([]);
    }
    const clean = await report("clean.csv");
    expect(clean.get("Ravi Patel")?.roles).toEqual(["Finance"]); // from "Finance Officer"
    expect(clean.get("Mary Nurse")?.roles).toEqual(["Nurse"]);
    const synonyms = await report("synonyms-reordered.csv");
    // Addresses are stored trimmed and in lower case (UAP-2.2).
    expect(synonyms.get("Amy Green")?.email).toBe("amy.green@nhs.net");
  });

  it("UCP-BULK-1 UAP-2.2 UCP-EMAIL-1 UCP-RBAC-3 CC-2b CC-7c bad rows are each reported with every problem, worded for a spreadsheet", async () => {
    const rows = await report("bad-values.csv");
    expect(rows.get("Good Person")?.status).toBe("ok");
    expect(messages(rows.get("Bad Date"))).toEqual(['End date: End date "31/02/2027" is not a real date (day, then month, then year). Write it like 31/12/2027 or 2027-12-31']);
    expect(messages(rows.get("US Date"))).toEqual([expect.stringMatching(/^End date: End date "03\/31\/2027" is not a real date/)]);
    expect(messages(rows.get("Not A Date"))).toEqual(['End date: End date "next year" is not a date. Write it like 31/12/2027 or 2027-12-31']);
    expect(messages(rows.get("Office Box"))).toEqual([expect.stringMatching(/^Email address: .*generic mailbox/)]);
    expect(messages(rows.get("Web Mail"))).toEqual([expect.stringMatching(/^Email address: gmail\.com is a personal email service/)]);
    expect(messages(rows.get("Odd Role"))).toEqual(['Security role: "Superuser" is not a security role. Use one of Finance, Care coordinator, Read only, Nurse, or leave it empty to use the role the job title suggests']);
    expect(messages(rows.get("No Registration"))).toEqual([
      expect.stringMatching(/^Registration body: Enter the professional body/),
      expect.stringMatching(/^Registration number: Enter the person's professional registration number/),
    ]);
    expect(messages(rows.get("Researcher"))).toEqual([expect.stringMatching(/^Purpose: Access is for the direct care .*"research"/)]);
    // The same person twice (in any case): both rows, as which one is meant cannot be told.
    expect(messages(rows.get("Twice One"))).toEqual(["Email address: twice@nhs.net is in the file more than once (rows 11 and 12). Each person needs one row"]);
    expect(rows.get("Twice Two")?.status).toBe("error");
    expect(messages(rows.get("row 13"))).toEqual(["Full name: Enter the person's full name", "Job title: Enter the person's job title", "Security role: Enter a security role, or a job title that suggests one", "Purpose: Enter why the person needs access to the portal"]);
    expect(messages(rows.get("Temp No End"))).toEqual(["End date: Enter the date access ends for this temporary member of staff"]);
    expect(messages(rows.get("Maybe Temp"))).toEqual(['Temporary: Temporary should be yes or no, not "perhaps"']);
  });

  it("UCP-BULK-1 reads the XLSX fixture's dates and numbers through the same rules", async () => {
    const rows = await report("staff.xlsx");
    expect(rows.get("Xavier One")).toMatchObject({ status: "ok", roles: ["Care coordinator"], email: "xl.one@nhs.net" });
    expect(rows.get("Yasmin Two")).toMatchObject({ status: "ok", roles: ["Nurse"] });
    expect(messages(rows.get("Zed Three"))).toEqual([expect.stringMatching(/^End date: End date "31\/02\/2027" is not a real date/)]);
  });

  it("UCP-EMAIL-1 an address outside the accepted domains needs the Email confirmed column", () => {
    const base = { fullName: "Out Side", email: "out.side@meadowbank-care.example.org", jobTitle: "Scheduler", purpose: "Visits for the people we support" };
    const unconfirmed = checkRows({ rows: [{ row: 2, values: base }], config, today });
    expect(messages(unconfirmed.reports[0])).toEqual([
      'Email confirmed: Confirm that out.side@meadowbank-care.example.org is used only by this person and is suitable for receiving information about the direct care of the people you support: put "yes" in the Email confirmed column',
    ]);
    const confirmed = checkRows({ rows: [{ row: 2, values: { ...base, emailAttested: "yes" } }], config, today });
    expect(confirmed.reports[0]?.status).toBe("ok");
    expect(confirmed.details.get(2)).toMatchObject({ emailVerdict: "attestation_required", emailAttested: true });
  });

  it("UAP-A.3 the Lead correspondent role cannot be asked for in a file", () => {
    const { reports } = checkRows({ rows: [{ row: 2, values: { fullName: "New Lead", email: "new.lead@nhs.net", jobTitle: "Registered Manager", roles: "Lead correspondent", purpose: "Managing our users" } }], config, today });
    expect(messages(reports[0])).toEqual(["Security role: To make someone the Lead correspondent, request a change of Lead correspondent instead"]);
    // A job title that maps to the Lead role suggests nothing (UCP-RBAC-2 never grants it).
    const { reports: suggested } = checkRows({ rows: [{ row: 2, values: { fullName: "New Lead", email: "new.lead@nhs.net", jobTitle: "Registered Manager", purpose: "Managing our users" } }], config, today });
    expect(suggested[0]?.status).toBe("error");
  });
});
