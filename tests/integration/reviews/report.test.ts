import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { verifyAuditChain } from "@/lib/audit";
import { tables } from "@/lib/db";
import { exportReviewReportCsv, reviewReportColumns } from "@/lib/reviews/export-review-report";
import { quarterlyReport } from "@/lib/reviews/queries";
import { AMINA, KATE, LEE, PRIYA, SAM, TOM, actorFor, createRequestWorld, type RequestWorld } from "../requests/fixtures";
import { auditOf, openReviews } from "./fixtures";

/** The operator's quarterly review report (UAP-4.3a) and its CSV export (UAP-A.9), audited as an export (AUP-5.2f). */

let world: RequestWorld;
const NORA = "nora.quinn@meadowbank-care.example.org";
beforeAll(async () => {
  world = await createRequestWorld(); // Tuesday 5 May 2026
  // An account with no security role, an end date that has passed and recent training.
  await world.db.insert(tables.accounts).values({
    organisationId: world.meadowbankId,
    audience: "provider",
    fullName: "Nora Quinn",
    email: NORA,
    status: "active",
    endDate: "2026-05-01",
    igTrainingDate: "2026-01-10",
    lastSignInAt: new Date("2026-05-04T10:00:00Z"),
    activatedAt: new Date("2026-01-01T10:00:00Z"),
  });
});
afterAll(async () => {
  await world?.dispose();
});

const report = () => quarterlyReport({ db: world.db, clock: world.clock, config: world.config });
const emails = (list: { email: string }[]) => list.map((a) => a.email).sort();

describe("quarterlyReport", () => {
  it("UAP-4.3a lists, per provider organisation, the accounts with no sign-in in 30 days, no role, expired training and passed end dates", async () => {
    const result = await report();
    expect(result).toMatchObject({ today: "2026-05-05", idleDays: 30, trainingValidityMonths: 12, trainingCutoff: "2025-05-05" });
    expect(result.period.label).toBe("April to June 2026");
    const meadowbank = result.organisations.find((o) => o.organisationId === world.meadowbankId)!;
    // Lee is suspended: the findings are about accounts that still give access.
    expect(meadowbank.openAccounts).toBe(6);
    expect(emails(meadowbank.idle)).toEqual([AMINA]); // last signed in 52 days ago
    expect(emails(meadowbank.noRole)).toEqual([NORA]);
    // Amina trained 400 days ago; Dan (pending) has no training recorded.
    expect(emails(meadowbank.trainingExpired)).toEqual(["amina.okafor@meadowbank-care.example.org", "dan.wright@meadowbank-care.example.org"]);
    expect(emails(meadowbank.endDatePassed)).toEqual([NORA]);
    expect([...meadowbank.idle, ...meadowbank.noRole, ...meadowbank.trainingExpired].map((a) => a.email)).not.toContain(LEE);
    expect(meadowbank.lastReview).toBeNull();
  });

  it("UAP-4.3a covers providers that are onboarding but not closed ones whose accounts are all suspended", async () => {
    const result = await report();
    const names = result.organisations.map((o) => o.name);
    expect(names).toContain("Riverside Home Care");
    expect(names).not.toContain("Hilltop House");
    expect(names).not.toContain(world.config.operator.name);
    expect(result.organisations.find((o) => o.name === "Riverside Home Care")).toMatchObject({ openAccounts: 0, lastReview: null });
  });

  it("UAP-4.3a UAP-4.2 shows each organisation's latest review and how far it has got", async () => {
    await openReviews(world);
    const meadowbank = (await report()).organisations.find((o) => o.organisationId === world.meadowbankId)!;
    expect(meadowbank.lastReview).toMatchObject({ periodLabel: "April to June 2026", standing: "open", decided: 0, total: 7, dueOn: "2026-06-30", signedOffAt: null });
  });

  it("UAP-4.3a findings follow the clock: Kate's end date passes and more accounts go quiet", async () => {
    world.clock.set("2026-06-20T09:00:00.000Z"); // 46 days on
    const meadowbank = (await report()).organisations.find((o) => o.organisationId === world.meadowbankId)!;
    expect(emails(meadowbank.endDatePassed)).toEqual([KATE, NORA].sort());
    expect(emails(meadowbank.idle)).toEqual([AMINA, KATE, NORA, PRIYA, TOM].sort());
    expect(meadowbank.lastReview?.standing).toBe("due_soon");
    world.clock.set("2026-05-05T09:00:00.000Z");
  });
});

describe("exportReviewReportCsv", () => {
  it("UAP-A.9 AUP-5.2f exports the report as CSV, one row per organisation, and records the export against the member of staff", async () => {
    const actor = await actorFor(world.db, SAM);
    const exported = await exportReviewReportCsv({ db: world.db, actor, clock: world.clock, config: world.config });
    const lines = exported.csv.replace(/^\uFEFF/, "").split("\r\n").filter(Boolean);
    expect(lines[0]).toBe(reviewReportColumns.map((c) => c.header).join(","));
    expect(lines).toHaveLength(1 + exported.rowCount);
    expect(exported.rowCount).toBe(exported.report.organisations.length);
    const meadowbank = lines.find((l) => l.startsWith("Meadowbank Care Ltd,"))!;
    expect(meadowbank).toContain("Amina Okafor <amina.okafor@meadowbank-care.example.org>");
    expect(meadowbank).toContain("April to June 2026,Open,2026-06-30,0 of 7");
    expect(lines.find((l) => l.startsWith("Riverside Home Care,"))).toContain("No review yet");

    const [event] = await auditOf(world.db, "review.report_exported");
    expect(event).toMatchObject({ seq: exported.auditSeq, actorId: actor.accountId, actorLabel: "Sam Patel", channel: "web", clientAddress: "10.1.2.3" });
    expect(event?.detail).toEqual({ format: "csv", report: "quarterly review report", period: "April to June 2026", rowCount: exported.rowCount });
    expect((await verifyAuditChain(world.db)).ok).toBe(true);
  });

  it("AUP-5.2f every export is recorded, each time", async () => {
    const actor = await actorFor(world.db, SAM);
    await exportReviewReportCsv({ db: world.db, actor, clock: world.clock, config: world.config });
    expect(await auditOf(world.db, "review.report_exported")).toHaveLength(2);
  });
});
