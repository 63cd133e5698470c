import { describe, expect, it } from "vitest";
import { namesPerson } from "@/lib/care/colleague-lookup";
import { isPackageVisible } from "@/lib/care/need-to-know";
import { headerKey, lineCost } from "@/lib/feeds/kinds";
import { feedBoolean, feedMoney, feedNhsNumber, feedUnits } from "@/lib/feeds/values";

describe("feed values", () => {
  it.each([
    ["1234.56", 123456],
    ["£1,234.56", 123456],
    ["-12.5", -1250],
    ["(12.50)", -1250],
    ["0", 0],
    ["", null],
  ])("money %s is %s pence", (raw, pence) => {
    expect(feedMoney(raw, "Amount")).toEqual({ ok: true, value: pence });
  });

  it.each(["12.345", "12,5p", "abc", "1e3"])("money %s is refused with the column's name", (raw) => {
    const read = feedMoney(raw, "Amount");
    expect(read.ok).toBe(false);
    if (!read.ok) expect(read.message).toMatch(/^Amount /);
  });

  it("units, yes/no and NHS numbers", () => {
    expect(feedUnits("10.5", "Units")).toEqual({ ok: true, value: "10.5" });
    expect(feedUnits("-1", "Units").ok).toBe(false);
    expect(feedBoolean("Y", "Payments visible")).toEqual({ ok: true, value: true });
    expect(feedBoolean("maybe", "Payments visible").ok).toBe(false);
    expect(feedNhsNumber("999 000 1234", "NHS number")).toEqual({ ok: true, value: "9990001234" });
    expect(feedNhsNumber("12345", "NHS number").ok).toBe(false);
  });

  it("headers compare without case, spaces or punctuation; a line's cost is units × rate to the penny", () => {
    expect(headerKey("Source ID")).toBe(headerKey("source_id"));
    expect(headerKey("sourceId")).toBe("sourceid");
    expect(lineCost("10.5", 2450)).toBe(25725);
    expect(lineCost("0.33", 1001)).toBe(330);
  });
});

describe("CC-7e names and need to know (pure rules)", () => {
  it("CC-7e a text names a person when both their first and last name appear, in any order and case", () => {
    expect(namesPerson("priya shah", "Priya Shah")).toBe(true);
    expect(namesPerson("SHAH, Priya", "Priya Shah")).toBe(true);
    expect(namesPerson("Priya K. Shah", "Priya Shah")).toBe(true);
    expect(namesPerson("Shah", "Priya Shah")).toBe(false);
    expect(namesPerson("Priyanka Shahid", "Priya Shah")).toBe(false);
    expect(namesPerson("Zoë Brontë", "Zoe Bronte")).toBe(true);
  });

  it("need to know: active, or ended on or after the cut-off, and the organisation's own", () => {
    const scope = { organisationId: "org", endedVisibleFrom: "2026-02-04" };
    expect(isPackageVisible(scope, { organisationId: "org", status: "active", endDate: null })).toBe(true);
    expect(isPackageVisible(scope, { organisationId: "org", status: "ended", endDate: "2026-02-04" })).toBe(true);
    expect(isPackageVisible(scope, { organisationId: "org", status: "ended", endDate: "2026-02-03" })).toBe(false);
    expect(isPackageVisible(scope, { organisationId: "other", status: "active", endDate: null })).toBe(false);
  });
});
