import { describe, expect, it } from "vitest";
import { pagePath } from "@/lib/audit/record-page-view";
import { actionMatch, auditFiltersSchema, auditSearchParams, dayRange, filterTerms, hasFilters, parseAuditSearch } from "@/lib/audit/search-filters";

const TODAY = "2025-06-30";
const ACCOUNT = "3f1c6a52-8d0e-4b7a-9c61-2e5d4f7a8b90";
const ORGANISATION = "9b2d7e41-5c3a-4f68-8e17-6a0b3c9d2f15";

describe("audit search filters (UAP-A.9)", () => {
  it("UAP-A.9 an empty form is a search for every event, page 1", () => {
    const parsed = parseAuditSearch({}, TODAY);
    expect(parsed).toMatchObject({ ok: true, filters: {}, page: 1 });
    if (parsed.ok) expect(hasFilters(parsed.filters)).toBe(false);
  });

  it("UAP-A.9 reads person, organisation, action, channel and dates (day/month/year boxes or YYYY-MM-DD)", () => {
    const parsed = parseAuditSearch(
      {
        person: "  priya.shah@meadowbank-care.example.org ",
        organisation: ORGANISATION.toUpperCase(),
        action: "Request.",
        channel: "email",
        "from-day": "1",
        "from-month": "3",
        "from-year": "2025",
        to: "2025-03-31",
        page: "3",
      },
      TODAY,
    );
    expect(parsed).toEqual({
      ok: true,
      page: 3,
      filters: {
        person: "priya.shah@meadowbank-care.example.org",
        organisationId: ORGANISATION,
        action: "request.",
        channel: "email",
        from: "2025-03-01",
        to: "2025-03-31",
      },
      values: expect.objectContaining({ from: { day: "1", month: "3", year: "2025" }, to: { day: "31", month: "3", year: "2025" } }),
    });
  });

  it("UAP-A.9 an account id is a person filter as it is", () => {
    expect(parseAuditSearch({ person: ACCOUNT }, TODAY)).toMatchObject({ ok: true, filters: { person: ACCOUNT } });
  });

  it.each([
    [{ "from-day": "31", "from-month": "2", "from-year": "2025" }, "from", "Date from must be a real date"],
    [{ "from-day": "1", "from-year": "2025" }, "from", "Date from must include a month"],
    [{ "to-day": "1" }, "to", "Date to must include a month and year"],
    [{ "to-day": "1", "to-month": "x", "to-year": "2025" }, "to", "Date to must be a real date"],
    [{ "from-day": "1", "from-month": "7", "from-year": "2025" }, "from", "Date from must be today or in the past"],
    [{ from: "2025-03-10", to: "2025-03-09" }, "to", "Date to must be the same as or after date from"],
    [{ "from-day": "1", "from-month": "1", "from-year": "25" }, "from", "Date from must be a real date"],
    [{ organisation: "Meadowbank" }, "organisation", "Select an organisation from the list"],
    [{ channel: "fax" }, "channel", "Select a channel from the list"],
    [{ action: "DROP TABLE;" }, "action", "Action must be an action name such as account.suspended, or the start of one such as request."],
    [{ person: "x".repeat(201) }, "person", "Person must be 200 characters or fewer"],
  ])("UAP-A.9 a bad field is named for the GOV.UK error summary: %j", (params, field, message) => {
    const parsed = parseAuditSearch(params, TODAY);
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.fieldErrors).toEqual({ [field]: message });
  });

  it("UAP-A.9 every problem is reported at once, and the typed values come back for the form", () => {
    const parsed = parseAuditSearch({ channel: "fax", "from-day": "40", "from-month": "1", "from-year": "2025", person: "priya" }, TODAY);
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(Object.keys(parsed.fieldErrors)).toEqual(["channel", "from"]);
    expect(parsed.values).toMatchObject({ person: "priya", channel: "fax", from: { day: "40", month: "1", year: "2025" } });
  });

  it.each([
    ["", 1],
    ["0", 1],
    ["-2", 1],
    ["two", 1],
    ["12", 12],
  ])("UAP-A.9 a page of %j is read as %d", (page, expected) => {
    expect(parseAuditSearch({ page }, TODAY).page).toBe(expected);
  });

  it.each([
    ["account.suspended", { exact: "account.suspended" }],
    ["request.", { prefix: "request." }],
    ["request", { prefix: "request." }],
    ["request.*", { prefix: "request." }],
    ["Sign_In.Failed", { exact: "sign_in.failed" }],
  ])("UAP-A.9 the action %j matches %j", (action, match) => {
    expect(actionMatch(action)).toEqual(match);
  });

  it("UAP-A.9 dates are whole UK days, across the clock changes", () => {
    // The day the clocks go forward is 23 hours long; midsummer days start at 23:00 UTC the day before.
    expect(dayRange({ from: "2025-03-30", to: "2025-03-30" })).toEqual({
      start: new Date("2025-03-30T00:00:00.000Z"),
      end: new Date("2025-03-30T23:00:00.000Z"),
    });
    expect(dayRange({ from: "2025-07-01", to: "2025-07-31" })).toEqual({
      start: new Date("2025-06-30T23:00:00.000Z"),
      end: new Date("2025-07-31T23:00:00.000Z"),
    });
    expect(dayRange({ to: "2025-12-31" })).toEqual({ start: undefined, end: new Date("2026-01-01T00:00:00.000Z") });
  });

  it("UAP-A.9 the filters travel in links (pagination, export, print) and read back the same", () => {
    const filters = { person: "Priya Shah", organisationId: ORGANISATION, action: "request.", channel: "web" as const, from: "2025-03-01", to: "2025-03-31" };
    const params = auditSearchParams(filters, { page: 2 });
    expect(params.toString()).toBe(`person=Priya+Shah&organisation=${ORGANISATION}&action=request.&channel=web&from=2025-03-01&to=2025-03-31&page=2`);
    expect(parseAuditSearch(Object.fromEntries(params), TODAY)).toMatchObject({ ok: true, filters, page: 2 });
    expect(auditSearchParams({}).toString()).toBe("");
  });

  it("AUP-5.2f PRIV-2b the recorded terms of a search leave out empty filters", () => {
    expect(filterTerms({ person: "priya", action: undefined, channel: "web" })).toEqual({ person: "priya", channel: "web" });
  });

  it("UAP-A.9 use cases re-check typed filters", () => {
    expect(auditFiltersSchema.safeParse({ from: "2025-02-30" }).success).toBe(false);
    expect(auditFiltersSchema.safeParse({ from: "2025-03-02", to: "2025-03-01" }).success).toBe(false);
    expect(auditFiltersSchema.safeParse({ organisationId: "nope" }).success).toBe(false);
    expect(auditFiltersSchema.parse({ action: " Request.* " })).toEqual({ action: "request.*" });
  });

  it("PRIV-2b a page view keeps the path, never the query that may carry search terms", () => {
    expect(pagePath("/staff/audit?person=priya&action=request.")).toBe("/staff/audit");
    expect(pagePath("/staff/audit/accounts/abc#events")).toBe("/staff/audit/accounts/abc");
    expect(pagePath("portal")).toBe("/portal");
    expect(pagePath(`/${"a".repeat(2000)}`)).toHaveLength(1000);
  });
});
