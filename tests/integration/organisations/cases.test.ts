import { eq } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import * as tables from "@/lib/db/schema";
import { closeOrganisationCase } from "@/lib/organisations/close-organisation-case";
import { confirmCarePackages } from "@/lib/organisations/confirm-care-packages";
import { openOrganisationCase } from "@/lib/organisations/open-organisation-case";
import { getOrganisationCase } from "@/lib/organisations/queries";
import { recordCaseConfirmation } from "@/lib/organisations/record-case-confirmation";
import { runScheduledOrganisationChanges } from "@/lib/organisations/run-scheduled-organisation-changes";
import { footprint } from "../requests/fixtures";
import {
  accountByEmail,
  accountsOf,
  appError,
  BASE_URL,
  CHRIS,
  createRequestWorld,
  liveSessionsOf,
  mailTo,
  openSession,
  organisationAudit,
  organisationRow,
  PRIYA,
  SAM,
  staffAs,
  type RequestWorld,
} from "./fixtures";

const TOM = "tom.baker@meadowbank-care.example.org";
const notification = { summary: "The registered manager phoned: the company has ceased trading today.", notifiedBy: "Priya Shah, registered manager", notifiedVia: "telephone", notifiedOn: "2026-05-05", notifiedTime: "09:45" };
const confirmation = { confirmedByName: "Jane Doe", confirmedByRole: "appointed_administrator", confirmedOn: "2026-05-05", confirmationNote: "Letter from the administrators dated 5 May, filed on the case" };

describe("organisation cases", () => {
  let world: RequestWorld;
  beforeEach(async () => {
    world = await createRequestWorld();
  });
  afterEach(async () => {
    await world?.dispose();
  });

  const open = async (input: Record<string, unknown>, by = SAM) => openOrganisationCase({ ...(await staffAs(world, by)), organisationId: world.meadowbankId, input });
  const run = () => runScheduledOrganisationChanges({ db: world.db, clock: world.clock, config: world.config, baseUrl: BASE_URL });

  it("UAP-5.3 a sudden closure suspends every account and ends every session at once, recording the notification, in one audited transaction", async () => {
    const sessions = [await openSession(world, PRIYA), await openSession(world, TOM), await openSession(world, TOM)];
    const stampsBefore = new Map((await accountsOf(world.db, world.meadowbankId)).map((a) => [a.id, a.securityStamp]));
    const opened = await open({ ...notification, kind: "closure", mode: "sudden" });

    expect(opened).toMatchObject({ mode: "sudden", suspended: 5, sessionsEnded: 3, organisationStatus: { before: "active", after: "closed" }, told: [PRIYA] });
    const people = await accountsOf(world.db, world.meadowbankId);
    expect(people.every((a) => a.status === "suspended")).toBe(true);
    for (const a of people.filter((p) => p.email !== "lee.jones@meadowbank-care.example.org")) {
      expect(a.suspensionReason).toBe(`Closure of Meadowbank Care Ltd (${opened.reference})`);
      expect(a.securityStamp).not.toBe(stampsBefore.get(a.id));
    }
    expect(await liveSessionsOf(world.db, world.meadowbankId)).toEqual([]);
    for (const s of sessions) {
      const [row] = await world.db.select().from(tables.sessions).where(eq(tables.sessions.id, s.id));
      expect(row!.endReason).toBe("organisation_closed");
    }
    expect((await organisationRow(world.db, world.meadowbankId)).status).toBe("closed");

    // The case records the notification and who was told, when.
    const detail = await getOrganisationCase({ db: world.db, organisationId: world.meadowbankId, caseId: opened.caseId });
    expect(detail.kase).toMatchObject({ kind: "closure", mode: "sudden", status: "open", notifiedBy: notification.notifiedBy, notifiedVia: "telephone", effectiveDate: "2026-05-05" });
    expect(detail.kase.notifiedAt.toISOString()).toBe("2026-05-05T08:45:00.000Z");
    expect(detail.told).toMatchObject({ to: [PRIYA], cc: ["brokerage@council.example.org"], at: world.clock.now().toISOString(), suspended: 5, sessionsEnded: 3 });
    const [notice] = await mailTo(world.db, PRIYA, "organisation_access_suspended");
    expect(notice!.subject).toContain(opened.reference);

    // Every suspension is in the log (UAP-4.4), with the case.
    const suspended = await organisationAudit(world.db, world.meadowbankId, "account.suspended");
    expect(suspended).toHaveLength(5);
    expect(suspended.every((e) => (e.detail as { caseId?: string }).caseId === opened.caseId)).toBe(true);
    const [event] = await organisationAudit(world.db, world.meadowbankId, "organisation.case_opened");
    expect(event!.detail).toMatchObject({ kind: "closure", mode: "sudden", before: { status: "active" }, after: { status: "closed" }, suspended: 5, sessionsEnded: 3 });
    // One transaction: the events carry one instant, written together.
    expect(new Set([...suspended, event!].map((e) => e.occurredAt.toISOString())).size).toBe(1);
  });

  it("UAP-5.3 the sudden suspension is all or nothing: a failure part-way leaves every account and session as it was", async () => {
    await openSession(world, PRIYA);
    const before = await footprint(world.db);
    // Make the last write of the transaction (recording who was told) fail.
    await world.handle.superuserExecute(`
      CREATE FUNCTION test_refuse_told() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'test: refused'; END; $$;
      CREATE TRIGGER test_refuse_told BEFORE UPDATE OF told ON organisation_cases FOR EACH ROW EXECUTE FUNCTION test_refuse_told();`);
    await expect(open({ ...notification, kind: "administration", mode: "sudden" })).rejects.toThrow();
    await world.handle.superuserExecute("DROP TRIGGER test_refuse_told ON organisation_cases; DROP FUNCTION test_refuse_told();");
    expect(await footprint(world.db)).toEqual(before);
    expect(await liveSessionsOf(world.db, world.meadowbankId)).toHaveLength(1);
    expect((await organisationRow(world.db, world.meadowbankId)).status).toBe("active");
    expect(await world.db.select().from(tables.organisationCases)).toEqual([]);

    // The same case, without the fault: administration leaves the organisation closing.
    const opened = await open({ ...notification, kind: "administration", mode: "sudden" });
    expect(opened.organisationStatus.after).toBe("closing");
    expect(await liveSessionsOf(world.db, world.meadowbankId)).toEqual([]);
  });

  it("UAP-4.1 UAP-A.7 only staff with edit rights on organisations open a case, and one case is open at a time", async () => {
    const refused = await appError(open({ ...notification, kind: "closure", mode: "sudden" }, CHRIS));
    expect(refused.code).toBe("forbidden");
    await open({ ...notification, kind: "change_of_ownership", mode: "planned", effectiveDate: "2026-06-01", suspendExisting: "yes" });
    const second = await appError(open({ ...notification, kind: "closure", mode: "sudden" }));
    expect(second.code).toBe("conflict");
    expect(second.userMessage).toMatch(/CASE-\d+ is already open/);
  });

  it("UAP-5.2 a planned change of ownership schedules the suspensions and the new owner's accounts, which run once, on their date", async () => {
    await openSession(world, TOM);
    const opened = await open({
      ...notification,
      summary: "Meadowbank is sold to Brightwater Care on 12 May.",
      kind: "change_of_ownership",
      mode: "planned",
      effectiveDate: "2026-05-12",
      suspendExisting: "yes",
      newAccounts: [
        { fullName: "Nia Evans", email: "nia.evans@nhs.net", jobTitle: "Registered Manager", roleKey: "lead_correspondent" },
        { fullName: "Ravi Kumar", email: "ravi.kumar@nhs.net", jobTitle: "Finance Officer", roleKey: "finance" },
      ],
    });
    expect(opened).toMatchObject({ mode: "planned", scheduled: 3, suspended: 0, organisationStatus: { before: "active", after: "active" } });
    const detail = await getOrganisationCase({ db: world.db, organisationId: world.meadowbankId, caseId: opened.caseId });
    expect(detail.actions.map((a) => [a.kind, a.status, a.effectiveDate])).toEqual([
      ["create_account", "scheduled", "2026-05-12"],
      ["create_account", "scheduled", "2026-05-12"],
      ["suspend_accounts", "scheduled", "2026-05-12"],
    ]);

    // Before the date nothing happens.
    expect(await run()).toMatchObject({ due: 0, done: 0 });
    expect((await accountByEmail(world.db, TOM)).status).toBe("active");

    world.clock.set("2026-05-12T06:00:00.000Z");
    const summary = await run();
    expect(summary).toMatchObject({ today: "2026-05-12", due: 3, done: 3, failed: 0, accountsSuspended: 5, sessionsEnded: 1, accountsCreated: 2 });
    // Suspensions ran first: the new owner's people keep their new accounts.
    expect(summary.actions[0]!.kind).toBe("suspend_accounts");
    const people = await accountsOf(world.db, world.meadowbankId);
    expect(people.filter((a) => a.status !== "suspended").map((a) => [a.email, a.status])).toEqual([
      ["nia.evans@nhs.net", "pending"],
      ["ravi.kumar@nhs.net", "pending"],
    ]);
    const nia = await accountByEmail(world.db, "nia.evans@nhs.net");
    const [grant] = await world.db.select().from(tables.roleGrants).where(eq(tables.roleGrants.accountId, nia.id));
    expect(grant!.roleKey).toBe("lead_correspondent");
    expect(await mailTo(world.db, "nia.evans@nhs.net", "account_username")).toHaveLength(1);
    expect(await mailTo(world.db, "nia.evans@nhs.net", "account_setup_link")).toHaveLength(1);
    expect(await liveSessionsOf(world.db, world.meadowbankId)).toEqual([]);
    // A change of ownership: the organisation carries on under its new owner.
    expect((await organisationRow(world.db, world.meadowbankId)).status).toBe("active");
    expect(await organisationAudit(world.db, world.meadowbankId, "organisation.case_action_done")).toHaveLength(3);

    // Once only: running again (or later) does nothing more.
    const footprintAfter = await footprint(world.db);
    expect(await run()).toMatchObject({ due: 0, done: 0 });
    world.clock.set("2026-05-13T06:00:00.000Z");
    expect(await run()).toMatchObject({ due: 0 });
    expect(await footprint(world.db)).toEqual(footprintAfter);
    const after = await getOrganisationCase({ db: world.db, organisationId: world.meadowbankId, caseId: opened.caseId });
    expect(after.actions.every((a) => a.status === "done" && a.doneAt)).toBe(true);
    expect(after.actions.find((a) => a.email === "nia.evans@nhs.net")!.accountId).toBe(nia.id);
  });

  it("UAP-5.2 two runners at once carry out each scheduled change once", async () => {
    await open({ ...notification, kind: "closure", mode: "planned", effectiveDate: "2026-05-06", suspendExisting: "yes" });
    expect((await organisationRow(world.db, world.meadowbankId)).status).toBe("closing");
    world.clock.set("2026-05-06T08:00:00.000Z");
    const [a, b] = await Promise.all([run(), run()]);
    expect(a.done + b.done).toBe(1);
    expect(a.accountsSuspended + b.accountsSuspended).toBe(5);
    expect(await organisationAudit(world.db, world.meadowbankId, "account.suspended")).toHaveLength(5);
    // A planned closure closes the organisation on its date.
    expect((await organisationRow(world.db, world.meadowbankId)).status).toBe("closed");
  });

  it("UAP-5.2 a scheduled change that can no longer be made is marked failed with its reason, and the others still run", async () => {
    const opened = await open({
      ...notification,
      kind: "change_of_ownership",
      mode: "planned",
      effectiveDate: "2026-05-07",
      suspendExisting: "yes",
      newAccounts: [{ fullName: "Nia Evans", email: "nia.evans@nhs.net", roleKey: "lead_correspondent" }],
    });
    // Meanwhile the address got an account another way.
    const other = await accountByEmail(world.db, SAM);
    await world.db.insert(tables.accounts).values({ organisationId: other.organisationId, audience: "operator", fullName: "Nia Evans", email: "nia.evans@nhs.net", status: "active" });
    world.clock.set("2026-05-07T08:00:00.000Z");
    const summary = await run();
    expect(summary).toMatchObject({ due: 2, done: 1, failed: 1 });
    const failed = summary.actions.find((a) => a.status === "failed")!;
    expect(failed.kind).toBe("create_account");
    expect(failed.error).toMatch(/already has an account/);
    const detail = await getOrganisationCase({ db: world.db, organisationId: world.meadowbankId, caseId: opened.caseId });
    expect(detail.actions.find((a) => a.kind === "create_account")).toMatchObject({ status: "failed", error: expect.stringMatching(/already has an account/) });
    expect(await organisationAudit(world.db, world.meadowbankId, "organisation.case_action_failed")).toHaveLength(1);
    expect(await run()).toMatchObject({ due: 0 });
  });

  it("UAP-A.7 a case closes only with the written confirmation of someone with authority and the care-packages check", async () => {
    const opened = await open({ ...notification, kind: "administration", mode: "sudden" });
    const staff = await staffAs(world, SAM);
    const ids = { organisationId: world.meadowbankId, caseId: opened.caseId };

    const refused = await appError(closeOrganisationCase({ ...staff, ...ids }));
    expect(refused.code).toBe("refused");
    expect(refused.userMessage).toMatch(/written confirmation/);
    expect(refused.userMessage).toMatch(/care packages/);

    const badRole = await appError(recordCaseConfirmation({ ...staff, ...ids, input: { ...confirmation, confirmedByRole: "director" } }));
    expect(badRole.fieldErrors.confirmedByRole).toBeDefined();
    await recordCaseConfirmation({ ...staff, ...ids, input: confirmation });
    const stillRefused = await appError(closeOrganisationCase({ ...staff, ...ids }));
    expect(stillRefused.userMessage).not.toMatch(/written confirmation/);
    expect(stillRefused.userMessage).toMatch(/care packages/);

    expect((await appError(confirmCarePackages({ ...staff, ...ids, input: {} }))).fieldErrors.carePackagesConfirmed).toBeDefined();
    await confirmCarePackages({ ...staff, ...ids, input: { carePackagesConfirmed: "yes", carePackagesNote: "Both new providers confirmed by phone" } });
    await closeOrganisationCase({ ...staff, ...ids });

    const detail = await getOrganisationCase({ db: world.db, ...ids });
    expect(detail.kase).toMatchObject({ status: "closed", confirmedByName: "Jane Doe", confirmedByRole: "appointed_administrator", confirmedOn: "2026-05-05", carePackagesNote: "Both new providers confirmed by phone" });
    expect(detail.people[detail.kase.closedById!]).toBe("Sam Patel");
    const [closed] = await organisationAudit(world.db, world.meadowbankId, "organisation.case_closed");
    expect(closed!.detail).toMatchObject({ confirmation: { confirmedByName: "Jane Doe", confirmedByRole: "appointed_administrator" } });
    expect((await appError(recordCaseConfirmation({ ...staff, ...ids, input: confirmation }))).code).toBe("conflict");
    expect((await appError(closeOrganisationCase({ ...staff, ...ids }))).code).toBe("conflict");
  });

  it("UAP-A.7 the database itself refuses a closed case without its confirmation, and a case is never deleted", async () => {
    const opened = await open({ ...notification, kind: "closure", mode: "sudden" });
    await expect(
      world.db.update(tables.organisationCases).set({ status: "closed", closedAt: new Date() }).where(eq(tables.organisationCases.id, opened.caseId)),
    ).rejects.toThrow();
    await expect(world.db.delete(tables.organisationCases).where(eq(tables.organisationCases.id, opened.caseId))).rejects.toThrow();
  });

  it("UAP-5.2 UAP-A.7 a planned case cannot close while its changes are still scheduled", async () => {
    const opened = await open({ ...notification, kind: "closure", mode: "planned", effectiveDate: "2026-05-20", suspendExisting: "yes" });
    const staff = await staffAs(world, SAM);
    const ids = { organisationId: world.meadowbankId, caseId: opened.caseId };
    await recordCaseConfirmation({ ...staff, ...ids, input: { ...confirmation, confirmedByRole: "registered_manager" } });
    await confirmCarePackages({ ...staff, ...ids, input: { carePackagesConfirmed: "yes" } });
    const refused = await appError(closeOrganisationCase({ ...staff, ...ids }));
    expect(refused.userMessage).toMatch(/1 scheduled change has not run yet/);
    world.clock.set("2026-05-20T08:00:00.000Z");
    await run();
    await closeOrganisationCase({ ...staff, ...ids });
    expect((await getOrganisationCase({ db: world.db, ...ids })).kase.status).toBe("closed");
  });
});
