import { and, eq, isNull } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { verifyAuditChain } from "@/lib/audit";
import { tables } from "@/lib/db";
import { addRequestNote } from "@/lib/requests/add-request-note";
import { approveRequest } from "@/lib/requests/approve-request";
import { archiveRequest } from "@/lib/requests/archive-request";
import { assignRequest } from "@/lib/requests/assign-request";
import { closeRequest } from "@/lib/requests/close-request";
import { prioritiseRequest } from "@/lib/requests/prioritise-request";
import { recordLeadConfirmation } from "@/lib/requests/record-lead-confirmation";
import { rejectRequest } from "@/lib/requests/reject-request";
import { readPayload } from "@/lib/requests/schema";
import { startRequest } from "@/lib/requests/start-request";
import { tickRelatedSystem } from "@/lib/requests/tick-related-system";
import { refusal } from "@/tests/support/test-database";
import {
  ALEX,
  AMINA,
  BASE_URL,
  CHRIS,
  KATE,
  LEE,
  PRIYA,
  SAM,
  TOM,
  accountByEmail,
  actorFor,
  appError,
  bringToInProgress,
  createProvider,
  createRequestWorld,
  footprint,
  newUserInput,
  requestAudit,
  requestMail,
  requestRow,
  rolesOf,
  staffOptions,
  submitAs,
  viewerFor,
  type RequestWorld,
} from "./fixtures";

/** Actioning requests: the UCP-HD-1 lifecycle, each type applied (UAP-A.4–A.8), emails (CC-6) and audit. */

let world: RequestWorld;
beforeAll(async () => {
  world = await createRequestWorld();
});
afterAll(async () => {
  await world?.dispose();
});

async function liveSession(accountId: string) {
  const account = (await world.db.select().from(tables.accounts).where(eq(tables.accounts.id, accountId)))[0]!;
  const [session] = await world.db
    .insert(tables.sessions)
    .values({ accountId, securityStamp: account.securityStamp, expiresAt: new Date(world.clock.now().getTime() + 3_600_000) })
    .returning();
  return session!;
}

async function approve(requestId: string, by = SAM, channel: "web" | "slack" | "cli" = "web") {
  return approveRequest({ ...(await staffOptions(world, by, requestId, channel)), baseUrl: BASE_URL });
}

describe("a new user, end to end", () => {
  it("UAP-A.4 CC-6 submit → prioritise → assign → start → approve creates the pending account, two set-up emails, the resolution email and every audit event", async () => {
    const input = newUserInput({ fullName: "Rosa Diaz", email: "rosa.diaz@nhs.net", jobTitle: "Care Coordinator", roleKeys: ["care_coordinator"], igTrainingDate: "2026-04-20" });
    const submitted = await submitAs(world, input);
    const sam = await accountByEmail(world.db, SAM);
    const options = await staffOptions(world, SAM, submitted.requestId);

    expect(await prioritiseRequest({ ...options, priority: "high" })).toMatchObject({ status: "prioritised", priority: "high", version: 2 });
    expect(await assignRequest({ ...options, assigneeId: sam.id })).toMatchObject({ status: "assigned", assigneeId: sam.id, version: 3 });
    expect(await startRequest(options)).toMatchObject({ status: "in_progress", version: 4 });
    const approved = await approveRequest({ ...options, actor: await actorFor(world.db, SAM, "slack"), baseUrl: BASE_URL });
    expect(approved).toMatchObject({ status: "resolved", version: 5, reference: submitted.reference });

    const account = await accountByEmail(world.db, "rosa.diaz@nhs.net");
    expect(account).toMatchObject({ status: "pending", organisationId: world.meadowbankId, fullName: "Rosa Diaz", jobTitle: "Care Coordinator", igTrainingDate: "2026-04-20", passwordHash: null });
    expect(await rolesOf(world.db, account.id)).toEqual(["care_coordinator"]);
    expect(approved.subjectAccountId).toBe(account.id);

    const row = await requestRow(world.db, submitted.requestId);
    expect(row).toMatchObject({ status: "resolved", subjectAccountId: account.id, resolvedAt: world.clock.now() });
    expect(readPayload(row.payload).outcome).toMatchObject({ accountId: account.id, status: "pending" });

    // CC-6: username (Lead copied) and set-up link apart; then the resolution to the requester.
    const mail = await requestMail(world.db, submitted.requestId);
    const username = mail.find((m) => m.kind === "account_username");
    const link = mail.find((m) => m.kind === "account_setup_link");
    expect(username).toMatchObject({ to: ["rosa.diaz@nhs.net"], cc: [PRIYA], sensitive: false });
    expect(username?.text).toContain("Your username is: rosa.diaz@nhs.net");
    expect(username?.text).not.toContain("/set-up/");
    expect(link).toMatchObject({ to: ["rosa.diaz@nhs.net"], cc: [], sensitive: true });
    expect(link?.text).toContain(`${BASE_URL}/set-up/`);
    const resolved = mail.find((m) => m.kind === "request_resolved");
    expect(resolved?.to).toEqual([PRIYA]);
    expect(resolved?.subject).toBe(`${submitted.reference} done: New user – Rosa Diaz`);
    expect(resolved?.text).toContain("An account has been set up for Rosa Diaz");
    expect(mail.map((m) => m.kind).sort()).toEqual(["account_setup_link", "account_username", "request_acknowledgement", "request_resolved"]);

    // UAP-4.4: every step audited, with who acted and through which channel.
    const events = await requestAudit(world.db, submitted.requestId);
    expect(events.map((e) => [e.action, e.channel, e.actorLabel])).toEqual([
      ["request.submitted", "web", "Priya Shah"],
      ["request.prioritised", "web", "Sam Patel"],
      ["request.assigned", "web", "Sam Patel"],
      ["request.started", "web", "Sam Patel"],
      ["account.created", "slack", "Sam Patel"],
      ["request.resolved", "slack", "Sam Patel"],
    ]);
    expect(events.find((e) => e.action === "account.created")).toMatchObject({ subjectAccountId: account.id, organisationId: world.meadowbankId });
    expect(events.at(-1)?.detail).toMatchObject({ sla: "within", before: { status: "in_progress" }, after: { status: "resolved" } });

    // A new user's request has no related systems: it closes, then archives.
    expect(await closeRequest(options)).toMatchObject({ status: "closed" });
    expect(await archiveRequest(options)).toMatchObject({ status: "archived" });
    expect((await requestRow(world.db, submitted.requestId)).closedAt).toEqual(world.clock.now());
    expect(await verifyAuditChain(world.db)).toMatchObject({ ok: true });
  });

  it("CC-2a the licence is checked again at approval", async () => {
    const other = await createProvider(world);
    await world.db.insert(tables.licenceAllocations).values({ organisationId: other.organisation.id, year: 2026, allocation: 2 });
    const submitted = await submitAs(world, newUserInput(), other.lead.email);
    await bringToInProgress(world, submitted.requestId);
    await world.db.update(tables.licenceAllocations).set({ allocation: 1 }).where(eq(tables.licenceAllocations.organisationId, other.organisation.id));
    const before = await footprint(world.db);
    const error = await appError(approve(submitted.requestId));
    expect(error.code).toBe("refused");
    expect(error.userMessage).toContain("no licences left");
    expect(await footprint(world.db)).toEqual(before);
  });

  it("UAP-2.2 an email taken by another account since the request is refused at approval", async () => {
    const submitted = await submitAs(world, newUserInput({ email: "late.comer@nhs.net" }));
    await bringToInProgress(world, submitted.requestId);
    await world.db.insert(tables.accounts).values({ organisationId: world.meadowbankId, audience: "provider", fullName: "Late Comer", email: "late.comer@nhs.net" });
    const error = await appError(approve(submitted.requestId));
    expect(error.code).toBe("refused");
    expect((await requestRow(world.db, submitted.requestId)).status).toBe("in_progress");
  });
});

describe("the lifecycle (UCP-HD-1)", () => {
  it("UCP-HD-1 no step is skipped: a received request cannot be assigned, started or approved", async () => {
    const submitted = await submitAs(world, newUserInput());
    const options = await staffOptions(world, SAM, submitted.requestId);
    const sam = await accountByEmail(world.db, SAM);
    const before = await footprint(world.db);
    expect((await appError(assignRequest({ ...options, assigneeId: sam.id }))).code).toBe("refused");
    expect((await appError(startRequest(options))).code).toBe("refused");
    const early = await appError(approveRequest({ ...options, baseUrl: BASE_URL }));
    expect(early.code).toBe("refused");
    expect(early.userMessage).toBe("A request that is received cannot be approved.");
    expect(await footprint(world.db)).toEqual(before);
  });

  it("UCP-HD-1 a request is assigned only to staff who can action requests", async () => {
    const submitted = await submitAs(world, newUserInput());
    const options = await staffOptions(world, SAM, submitted.requestId);
    await prioritiseRequest({ ...options, priority: "low" });
    for (const email of [CHRIS, PRIYA]) {
      const who = await accountByEmail(world.db, email);
      const error = await appError(assignRequest({ ...options, assigneeId: who.id }));
      expect(error.fieldErrors.assigneeId).toBe("Select a member of staff who can action requests");
    }
    const alex = await accountByEmail(world.db, ALEX);
    expect(await assignRequest({ ...options, assigneeId: alex.id })).toMatchObject({ assigneeId: alex.id });
  });

  it("UAP-2.4 only operator staff with requests:edit act: a Lead correspondent and an auditor are refused", async () => {
    const submitted = await submitAs(world, newUserInput());
    const before = await footprint(world.db);
    for (const email of [PRIYA, CHRIS]) {
      const options = { db: world.db, actor: await actorFor(world.db, email), clock: world.clock, config: world.config, viewer: await viewerFor(world, email), requestId: submitted.requestId };
      expect((await appError(prioritiseRequest({ ...options, priority: "high" }))).code).toBe("forbidden");
      expect((await appError(rejectRequest({ ...options, reason: "No" }))).code).toBe("forbidden");
      expect((await appError(addRequestNote({ ...options, body: "Hello" }))).code).toBe("forbidden");
    }
    expect(await footprint(world.db)).toEqual(before);
  });

  it("UAP-4.4 the actor must be the viewer whose permission was checked", async () => {
    const submitted = await submitAs(world, newUserInput());
    const options = await staffOptions(world, SAM, submitted.requestId);
    const error = await appError(prioritiseRequest({ ...options, actor: await actorFor(world.db, ALEX), priority: "high" }));
    expect(error.code).toBe("forbidden");
  });

  it("UCP-HD-1 acting on a version the person did not see is refused as already actioned", async () => {
    const submitted = await submitAs(world, newUserInput());
    const options = await staffOptions(world, SAM, submitted.requestId);
    await prioritiseRequest({ ...options, priority: "high", expectedVersion: 1 });
    const error = await appError(prioritiseRequest({ ...options, priority: "low", expectedVersion: 1 }));
    expect(error.code).toBe("conflict");
    expect(error.userMessage).toContain("has already been actioned by someone else");
    expect((await requestRow(world.db, submitted.requestId)).priority).toBe("high");
  });

  it("UAP-2.1 a rejection needs a reason, tells the requester and changes no account", async () => {
    const tom = await accountByEmail(world.db, TOM);
    const submitted = await submitAs(world, { type: "role_change", subjectAccountId: tom.id, roleKeys: ["read_only"] });
    const options = await staffOptions(world, SAM, submitted.requestId);
    const before = await footprint(world.db);
    const missing = await appError(rejectRequest({ ...options, reason: "  " }));
    expect(missing.fieldErrors.reason).toContain("Enter why the request is rejected");
    expect(await footprint(world.db)).toEqual(before);

    expect(await rejectRequest({ ...options, reason: "Tom needs finance access for month end." })).toMatchObject({ status: "rejected" });
    expect(await rolesOf(world.db, tom.id)).toEqual(["finance"]);
    const [mail] = await requestMail(world.db, submitted.requestId, "request_rejected");
    expect(mail?.to).toEqual([PRIYA]);
    expect(mail?.text).toContain("Tom needs finance access for month end.");
    const row = await requestRow(world.db, submitted.requestId);
    expect(row).toMatchObject({ resolution: "Tom needs finance access for month end.", resolvedAt: world.clock.now() });
    expect((await requestAudit(world.db, submitted.requestId)).at(-1)).toMatchObject({ action: "request.rejected", channel: "web" });
    // Rejected: nothing to mirror, so it closes at once; it cannot be approved any more.
    expect((await appError(approveRequest({ ...options, baseUrl: BASE_URL }))).code).toBe("conflict");
    expect(await closeRequest(options)).toMatchObject({ status: "closed" });
  });

  it("AUP-5.2e notes are appended with an audit event, and the database refuses to edit or delete them", async () => {
    const submitted = await submitAs(world, newUserInput());
    const options = await staffOptions(world, SAM, submitted.requestId, "cli");
    const { noteId } = await addRequestNote({ ...options, body: "Called the Lead correspondent to check the job title." });
    await addRequestNote({ ...options, body: "Job title confirmed." });
    const notes = await world.db.select().from(tables.requestNotes).where(eq(tables.requestNotes.requestId, submitted.requestId));
    expect(notes.map((n) => n.body).sort()).toEqual(["Called the Lead correspondent to check the job title.", "Job title confirmed."]);
    expect(notes[0]).toMatchObject({ authorLabel: "Sam Patel", channel: "cli" });
    expect((await requestRow(world.db, submitted.requestId)).version).toBe(1);
    const event = (await requestAudit(world.db, submitted.requestId)).find((e) => e.action === "request.note_added");
    expect(event).toMatchObject({ channel: "cli", detail: { noteId, body: "Called the Lead correspondent to check the job title." } });

    expect((await refusal(world.db.update(tables.requestNotes).set({ body: "rewritten" }).where(eq(tables.requestNotes.id, noteId)))).code).toBe("42501");
    expect((await refusal(world.db.delete(tables.requestNotes).where(eq(tables.requestNotes.id, noteId)))).code).toBe("42501");
    expect((await appError(addRequestNote({ ...options, body: "" }))).fieldErrors.body).toBe("Enter the note");
  });
});

describe("changes to existing accounts", () => {
  it("UAP-A.5 UAP-2.3 a role change replaces the grants, changes the security stamp and ends live sessions", async () => {
    const amina = await accountByEmail(world.db, AMINA);
    const session = await liveSession(amina.id);
    const submitted = await submitAs(world, { type: "role_change", subjectAccountId: amina.id, roleKeys: ["nurse", "read_only"], registrationBody: "NMC", registrationNumber: "99X1234A" });
    await bringToInProgress(world, submitted.requestId);
    const approved = await approve(submitted.requestId);
    expect(approved.outcome).toMatchObject({ before: ["care_coordinator"], after: ["nurse", "read_only"], sessionsEnded: 1 });

    expect(await rolesOf(world.db, amina.id)).toEqual(["nurse", "read_only"]);
    const after = await accountByEmail(world.db, AMINA);
    expect(after.securityStamp).not.toBe(amina.securityStamp);
    expect(after).toMatchObject({ registrationBody: "NMC", registrationNumber: "99X1234A", status: "active" });
    const [ended] = await world.db.select().from(tables.sessions).where(eq(tables.sessions.id, session.id));
    expect(ended?.endedAt).not.toBeNull();
    const changed = (await requestAudit(world.db, submitted.requestId)).find((e) => e.action === "account.roles_changed");
    expect(changed).toMatchObject({ subjectAccountId: amina.id, detail: { before: { roles: ["care_coordinator"] }, after: { roles: ["nurse", "read_only"] } } });
  });

  it("UAP-A.6 UAP-4.3c UAP-A.2b a suspension suspends (never deletes), ends sessions, and closes only once related systems are ticked", async () => {
    const kate = await accountByEmail(world.db, KATE);
    await liveSession(kate.id);
    const submitted = await submitAs(world, { type: "suspension", subjectAccountId: kate.id, reason: "leaver" });
    await bringToInProgress(world, submitted.requestId);
    await approve(submitted.requestId);

    const after = await accountByEmail(world.db, KATE);
    expect(after).toMatchObject({ status: "suspended", suspendedAt: world.clock.now() });
    expect(after.suspensionReason).toContain("Leaving the organisation");
    expect(await world.db.select().from(tables.sessions).where(and(eq(tables.sessions.accountId, kate.id), isNull(tables.sessions.endedAt)))).toHaveLength(0);
    expect((await requestAudit(world.db, submitted.requestId)).map((e) => e.action)).toContain("account.suspended");

    const options = await staffOptions(world, SAM, submitted.requestId);
    const blocked = await appError(closeRequest(options));
    expect(blocked.code).toBe("refused");
    expect(blocked.userMessage).toContain("Provider directory profile, Electronic call monitoring");
    expect(await tickRelatedSystem({ ...options, systemKey: "directory", note: "Profile updated" })).toMatchObject({ outstanding: [{ key: "call_monitoring" }] });
    expect((await appError(tickRelatedSystem({ ...options, systemKey: "directory" }))).code).toBe("refused");
    expect((await appError(tickRelatedSystem({ ...options, systemKey: "payroll" }))).fieldErrors.systemKey).toBeDefined();
    expect((await appError(closeRequest(options))).userMessage).toContain("Electronic call monitoring");
    await tickRelatedSystem({ ...options, systemKey: "call_monitoring" });
    expect(await closeRequest(options)).toMatchObject({ status: "closed" });

    const ticks = readPayload((await requestRow(world.db, submitted.requestId)).payload).relatedSystems;
    expect(ticks?.directory).toMatchObject({ byLabel: "Sam Patel", note: "Profile updated" });
    expect((await requestAudit(world.db, submitted.requestId)).filter((e) => e.action === "request.related_system_ticked")).toHaveLength(2);
    // Never deleted: the row is still there, suspended.
    expect(await world.db.select({ id: tables.accounts.id }).from(tables.accounts).where(eq(tables.accounts.id, kate.id))).toHaveLength(1);
  });

  it("UAP-4.3c a suspended account is reinstated on request", async () => {
    const lee = await accountByEmail(world.db, LEE);
    const submitted = await submitAs(world, { type: "reinstatement", subjectAccountId: lee.id, reason: "Returned from leave" }, LEE, { sender: { email: LEE, displayName: "Lee Jones", authenticated: true } }, "email");
    await bringToInProgress(world, submitted.requestId);
    await approve(submitted.requestId);
    expect(await accountByEmail(world.db, LEE)).toMatchObject({ status: "active", suspendedAt: null, suspensionReason: null });
    const [resolved] = await requestMail(world.db, submitted.requestId, "request_resolved");
    expect(resolved?.to).toEqual([LEE]);
    expect((await requestAudit(world.db, submitted.requestId)).find((e) => e.action === "account.reinstated")?.detail).toMatchObject({ before: { status: "suspended" }, after: { status: "active" } });
  });

  it("CC-7c a temporary member of staff's end date is extended", async () => {
    const other = await createProvider(world);
    const [temp] = await world.db
      .insert(tables.accounts)
      .values({ organisationId: other.organisation.id, audience: "provider", fullName: "Tia Temp", email: `tia.temp.${other.organisation.odsCode.toLowerCase()}@nhs.net`, status: "active", endDate: "2026-05-10" })
      .returning();
    await world.db.insert(tables.roleGrants).values({ accountId: temp!.id, roleKey: "read_only" });
    const submitted = await submitAs(world, { type: "end_date_change", subjectAccountId: temp!.id, endDate: "2026-08-31" }, other.lead.email);
    await bringToInProgress(world, submitted.requestId);
    await approve(submitted.requestId);
    expect((await world.db.select().from(tables.accounts).where(eq(tables.accounts.id, temp!.id)))[0]?.endDate).toBe("2026-08-31");
    expect((await requestAudit(world.db, submitted.requestId)).find((e) => e.action === "account.end_date_changed")?.detail).toMatchObject({ before: { endDate: "2026-05-10" }, after: { endDate: "2026-08-31" } });
  });
});

describe("changing the Lead correspondent (UAP-A.3)", () => {
  it("UAP-A.3 is made only after the telephone and email confirmations are recorded; a new Lead's account is set up and the outgoing one suspended", async () => {
    const other = await createProvider(world);
    const email = `nia.new.${other.organisation.odsCode.toLowerCase()}@nhs.net`;
    const submitted = await submitAs(world, { type: "lead_change", newLead: "new", fullName: "Nia New", email, jobTitle: "Registered Manager", outgoingLead: "suspend" }, other.lead.email);
    await bringToInProgress(world, submitted.requestId);
    const options = await staffOptions(world, SAM, submitted.requestId);

    const before = await footprint(world.db);
    const none = await appError(approve(submitted.requestId));
    expect(none.code).toBe("refused");
    expect(none.userMessage).toContain("telephone and email confirmations");
    expect(await footprint(world.db)).toEqual(before);

    const phone = await recordLeadConfirmation({ ...options, method: "telephone", confirmedWith: other.lead.fullName, confirmedAt: "2026-05-05T08:30:00Z", note: "Called the number on file" });
    expect(phone.missing).toEqual(["email"]);
    expect(phone.confirmation).toMatchObject({ confirmedWith: other.lead.fullName, confirmedAt: "2026-05-05T08:30:00.000Z", recordedByLabel: "Sam Patel", channel: "web" });
    expect((await appError(recordLeadConfirmation({ ...options, method: "telephone", confirmedWith: "Someone" }))).code).toBe("refused");
    expect((await appError(approve(submitted.requestId))).userMessage).toContain("email confirmation");
    await recordLeadConfirmation({ ...options, method: "email", confirmedWith: other.lead.fullName });

    const approved = await approve(submitted.requestId);
    const nia = await accountByEmail(world.db, email);
    expect(nia.status).toBe("pending");
    expect(await rolesOf(world.db, nia.id)).toEqual([world.config.leadRoleKey]);
    const outgoing = await accountByEmail(world.db, other.lead.email);
    expect(outgoing.status).toBe("suspended");
    expect(await rolesOf(world.db, outgoing.id)).toEqual([]);
    expect(approved.outcome).toMatchObject({ incomingAccountId: nia.id, created: true, outgoingAccountIds: [outgoing.id] });

    const mail = await requestMail(world.db, submitted.requestId);
    expect(mail.filter((m) => m.kind === "account_username" || m.kind === "account_setup_link").every((m) => m.to[0] === email)).toBe(true);
    expect(mail.map((m) => m.kind)).toEqual(expect.arrayContaining(["account_username", "account_setup_link", "request_resolved"]));
    const actions = (await requestAudit(world.db, submitted.requestId)).map((e) => e.action);
    expect(actions).toEqual(expect.arrayContaining(["request.lead_confirmation_recorded", "account.created", "account.suspended", "account.roles_changed", "organisation.lead_changed", "request.resolved"]));
    const changed = (await requestAudit(world.db, submitted.requestId)).find((e) => e.action === "organisation.lead_changed");
    expect(changed?.detail).toMatchObject({ before: { leadAccountIds: [outgoing.id] }, after: { leadAccountIds: [nia.id] }, confirmations: { telephone: { confirmedWith: other.lead.fullName } } });
  });

  it("UAP-A.3 to an existing user, the outgoing Lead keeping another role", async () => {
    const other = await createProvider(world);
    const [deputy] = await world.db
      .insert(tables.accounts)
      .values({ organisationId: other.organisation.id, audience: "provider", fullName: "Dee Deputy", email: `dee.${other.organisation.odsCode.toLowerCase()}@nhs.net`, status: "active" })
      .returning();
    await world.db.insert(tables.roleGrants).values({ accountId: deputy!.id, roleKey: "care_coordinator" });
    const submitted = await submitAs(world, { type: "lead_change", newLead: "existing", newLeadAccountId: deputy!.id, outgoingLead: "keep", outgoingRoleKeys: ["finance"] }, deputy!.email);
    expect(readPayload((await requestRow(world.db, submitted.requestId)).payload).requester.as).toBe("incoming_lead");
    await bringToInProgress(world, submitted.requestId);
    const options = await staffOptions(world, ALEX, submitted.requestId);
    await recordLeadConfirmation({ ...options, method: "email", confirmedWith: other.lead.fullName });
    await recordLeadConfirmation({ ...options, method: "telephone", confirmedWith: "Dee Deputy" });
    await approve(submitted.requestId, ALEX);
    expect(await rolesOf(world.db, deputy!.id)).toEqual(["care_coordinator", world.config.leadRoleKey].sort());
    expect(await rolesOf(world.db, other.lead.id)).toEqual(["finance"]);
    expect((await world.db.select().from(tables.accounts).where(eq(tables.accounts.id, other.lead.id)))[0]?.status).toBe("active");
  });
});
