import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { tables } from "@/lib/db";
import { readPayload } from "@/lib/requests/schema";
import { submitRequest } from "@/lib/requests/submit-request";
import {
  AMINA,
  KATE,
  LEE,
  PRIYA,
  SAM,
  TOM,
  accountByEmail,
  actorFor,
  appError,
  createProvider,
  createRequestWorld,
  footprint,
  newUserInput,
  requestAudit,
  requestMail,
  requestRow,
  submitAs,
  type RequestWorld,
} from "./fixtures";

/** Receiving requests: who may ask (CC-4, AUP-6.3), what is refused, the SLA clock, acknowledgement and audit. */

let world: RequestWorld;
beforeAll(async () => {
  world = await createRequestWorld();
});
afterAll(async () => {
  await world?.dispose();
});

describe("a Lead correspondent's new-user request", () => {
  it("UAP-2.1 CC-4 is logged with its title, reference, due time, acknowledgement email and audit event", async () => {
    const input = newUserInput({ fullName: "Jane  Doe", email: "Jane.Doe@nhs.net" });
    const submitted = await submitAs(world, input);
    expect(submitted.reference).toMatch(/^REQ-\d{6}$/);
    expect(submitted).toMatchObject({ type: "new_user", title: "New user – Jane Doe", status: "received", priority: "normal" });

    const row = await requestRow(world.db, submitted.requestId);
    const priya = await accountByEmail(world.db, PRIYA);
    expect(row).toMatchObject({ organisationId: world.meadowbankId, requestedById: priya.id, channel: "web", status: "received", version: 1 });
    expect(readPayload(row.payload).details).toMatchObject({ email: "jane.doe@nhs.net", roleKeys: ["care_coordinator"] });

    const [ack] = await requestMail(world.db, submitted.requestId, "request_acknowledgement");
    expect(ack?.to).toEqual([PRIYA]);
    expect(ack?.subject).toBe(`${submitted.reference} received: New user – Jane Doe`);
    expect(ack?.text).toContain("Tuesday 12 May 2026 at 10:00");

    const [event] = await requestAudit(world.db, submitted.requestId);
    expect(event).toMatchObject({ action: "request.submitted", channel: "web", actorId: priya.id, organisationId: world.meadowbankId, clientAddress: "10.1.2.3" });
    expect(event?.detail).toMatchObject({ reference: submitted.reference, type: "new_user", title: "New user – Jane Doe" });
  });

  it("CC-5 is due five working days after receipt (Tuesday 10:00 → next Tuesday 10:00)", async () => {
    const submitted = await submitAs(world, newUserInput());
    expect(submitted.dueAt.toISOString()).toBe("2026-05-12T09:00:00.000Z");
  });

  it("UAP-2.1 the channel it came through is recorded on the request and its audit event", async () => {
    const submitted = await submitAs(world, newUserInput(), PRIYA, {}, "slack");
    expect((await requestRow(world.db, submitted.requestId)).channel).toBe("slack");
    expect((await requestAudit(world.db, submitted.requestId))[0]?.channel).toBe("slack");
  });

  it("UCP-RBAC-2 with no role chosen, requests the job title's role and records the suggestion", async () => {
    const submitted = await submitAs(world, newUserInput({ roleKeys: undefined, jobTitle: "Finance Manager" }));
    expect(readPayload((await requestRow(world.db, submitted.requestId)).payload).details).toMatchObject({ roleKeys: ["finance"], suggestedRoleKey: "finance" });
  });

  it("UCP-EMAIL-1 records the requester's attestation for an address outside the accepted domains", async () => {
    const submitted = await submitAs(world, newUserInput({ email: "sam.lee@meadowbank-care.example.org", emailAttested: "yes" }));
    const payload = readPayload((await requestRow(world.db, submitted.requestId)).payload);
    const priya = await accountByEmail(world.db, PRIYA);
    expect(payload.emailAttestation).toMatchObject({ email: "sam.lee@meadowbank-care.example.org", attestedById: priya.id, attestedByLabel: "Priya Shah", attestedAt: world.clock.now().toISOString() });
    expect((await requestAudit(world.db, submitted.requestId))[0]?.detail).toHaveProperty("emailAttestation.email", "sam.lee@meadowbank-care.example.org");
  });

  it("UCP-RBAC-3 a clinical role is accepted with the registration recorded", async () => {
    const submitted = await submitAs(world, newUserInput({ jobTitle: "Nurse", roleKeys: ["nurse"], registrationBody: "NMC", registrationNumber: "12A3456E" }));
    expect(readPayload((await requestRow(world.db, submitted.requestId)).payload).details).toMatchObject({ registrationBody: "NMC", registrationNumber: "12A3456E" });
  });

  it("CC-7c a temporary member of staff's end date is kept on the request", async () => {
    const submitted = await submitAs(world, newUserInput({ temporary: "yes", endDate: "2026-09-30" }));
    expect(readPayload((await requestRow(world.db, submitted.requestId)).payload).details).toMatchObject({ temporary: true, endDate: "2026-09-30" });
  });
});

describe("bad input changes nothing", () => {
  it.each([
    ["UAP-2.2 a generic mailbox", { email: "info@nhs.net" }, "email", "shared or generic mailbox"],
    ["UCP-EMAIL-1 personal webmail", { email: "jo.bloggs@hotmail.co.uk" }, "email", "personal email service"],
    ["UCP-EMAIL-1 an unattested address at another domain", { email: "jo.bloggs@meadowbank-care.example.org" }, "emailAttested", "Confirm that"],
    ["UCP-RBAC-3 a clinical role without registration", { jobTitle: "Nurse", roleKeys: ["nurse"] }, "registrationBody", "professional body"],
    ["CC-2b a research purpose", { purpose: "Recruiting participants for research" }, "purpose", "secondary use"],
    ["CC-7c a temporary member of staff without an end date", { temporary: true }, "endDate", "Enter the date access ends"],
    ["UAP-2.3 an operator role", { roleKeys: ["team_lead"] }, "roleKeys", "not a provider security role"],
  ])("%s is refused with a field error and no trace", async (_label, overrides, field, message) => {
    const before = await footprint(world.db);
    const error = await appError(submitAs(world, newUserInput(overrides)));
    expect(error.code).toBe("validation");
    expect(error.fieldErrors[field]).toContain(message);
    expect(await footprint(world.db)).toEqual(before);
  });

  it("UAP-2.2 an email that already has an account is refused, whatever its case", async () => {
    const before = await footprint(world.db);
    const error = await appError(submitAs(world, newUserInput({ email: "TOM.Baker@Meadowbank-Care.example.org", emailAttested: true })));
    expect(error.code).toBe("refused");
    expect(error.fieldErrors.email).toContain("already has an account");
    expect(await footprint(world.db)).toEqual(before);
  });

  it("UAP-2.2 an email already asked for in an open request is refused as a duplicate", async () => {
    const input = newUserInput();
    const first = await submitAs(world, input);
    const error = await appError(submitAs(world, { ...input, fullName: "Someone Else" }));
    expect(error.code).toBe("refused");
    expect(error.fieldErrors.email).toContain(`${first.reference} already asks for this`);
  });
});

describe("who may ask (CC-4, AUP-6.3)", () => {
  it("AUP-6.3 a provider user who is not an authoriser is refused, and nothing is kept", async () => {
    const before = await footprint(world.db);
    const error = await appError(submitAs(world, newUserInput(), TOM));
    expect(error.code).toBe("forbidden");
    expect(error.userMessage).toContain("Lead correspondent");
    expect(await footprint(world.db)).toEqual(before);
  });

  it("CC-4 a Lead correspondent cannot ask for another organisation (AUP-5.2d)", async () => {
    const other = await createProvider(world);
    const error = await appError(submitAs(world, newUserInput({ organisationId: other.organisation.id })));
    expect(error.code).toBe("forbidden");
  });

  it("CC-4 operator staff cannot make a provider's request", async () => {
    const error = await appError(submitAs(world, { ...newUserInput(), organisationId: world.meadowbankId }, SAM));
    expect(error.code).toBe("forbidden");
  });

  it("CC-4 a request with no account and no sender is refused", async () => {
    const error = await appError(submitRequest({ db: world.db, actor: { accountId: null, label: "Someone", channel: "email" }, clock: world.clock, config: world.config, input: newUserInput() }));
    expect(error.code).toBe("forbidden");
  });

  it("CC-4 an organisation that is not active takes no requests", async () => {
    for (const status of ["onboarding", "closed"] as const) {
      const other = await createProvider(world, status);
      const error = await appError(submitAs(world, newUserInput(), other.lead.email));
      expect(error.code).toBe("refused");
      expect(error.userMessage).toContain("is not active");
    }
  });

  it("CC-4 a closing organisation still takes suspensions, nothing else", async () => {
    const other = await createProvider(world, "closing");
    const [member] = await world.db
      .insert(tables.accounts)
      .values({ organisationId: other.organisation.id, audience: "provider", fullName: "Pat Closing", email: `pat.closing.${other.organisation.odsCode.toLowerCase()}@brookside.example.org`, status: "active" })
      .returning();
    await world.db.insert(tables.roleGrants).values({ accountId: member!.id, roleKey: "read_only" });
    expect((await appError(submitAs(world, newUserInput(), other.lead.email))).code).toBe("refused");
    const submitted = await submitAs(world, { type: "suspension", subjectAccountId: member!.id, reason: "no_longer_needed" }, other.lead.email);
    expect(submitted.priority).toBe("high");
  });

  it("UAP-A.8 a suspended user may ask by email, from the address linked to the account, to be reinstated", async () => {
    const lee = await accountByEmail(world.db, LEE);
    const submitted = await submitAs(
      world,
      { type: "reinstatement", subjectAccountId: lee.id, reason: "Back from long-term leave" },
      LEE,
      { sender: { email: "Lee.Jones@meadowbank-care.example.org", displayName: "Lee Jones", authenticated: true } },
      "email",
    );
    const payload = readPayload((await requestRow(world.db, submitted.requestId)).payload);
    expect(payload.requester).toMatchObject({ accountId: lee.id, as: "account_holder" });
    expect(payload.sender).toEqual({ email: LEE, displayName: "Lee Jones", authenticated: true, emailMatchesAccount: true, nameMatchesAccount: true });
    const [ack] = await requestMail(world.db, submitted.requestId, "request_acknowledgement");
    expect(ack?.to).toEqual([LEE]);
  });

  it("UAP-A.8 not from the web, nor from another address", async () => {
    const lee = await accountByEmail(world.db, LEE);
    const input = { type: "reinstatement", subjectAccountId: lee.id, reason: "Back" };
    expect((await appError(submitAs(world, input, LEE, {}, "web"))).code).toBe("forbidden");
    expect((await appError(submitAs(world, input, LEE, { sender: { email: "lee@gmail.com", authenticated: true } }, "email"))).code).toBe("forbidden");
  });

  it("UAP-A.3 the incoming Lead correspondent may ask by email before they have an account", async () => {
    const other = await createProvider(world);
    const email = `new.lead.${other.organisation.odsCode.toLowerCase()}@nhs.net`;
    const submitted = await submitRequest({
      db: world.db,
      actor: { accountId: null, label: "Ola Nowak", channel: "email" },
      clock: world.clock,
      config: world.config,
      input: { type: "lead_change", organisationId: other.organisation.id, newLead: "new", fullName: "Ola Nowak", email, jobTitle: "Registered Manager", outgoingLead: "suspend" },
      sender: { email, displayName: "Ola Nowak", authenticated: true },
    });
    expect(submitted).toMatchObject({ title: "Lead correspondent change – Ola Nowak", priority: "high" });
    const row = await requestRow(world.db, submitted.requestId);
    expect(row.requestedById).toBeNull();
    expect(readPayload(row.payload).requester).toMatchObject({ accountId: null, email, as: "incoming_lead" });
    expect((await requestAudit(world.db, submitted.requestId))[0]).toMatchObject({ channel: "email", actorId: null, actorLabel: "Ola Nowak" });
  });

  it("UAP-A.3 someone else without an account cannot ask for a Lead change", async () => {
    const other = await createProvider(world);
    const error = await appError(
      submitRequest({
        db: world.db,
        actor: { accountId: null, label: "Mallory", channel: "email" },
        clock: world.clock,
        config: world.config,
        input: { type: "lead_change", organisationId: other.organisation.id, newLead: "new", fullName: "Ola Nowak", email: "ola.nowak@nhs.net", jobTitle: "Manager", outgoingLead: "suspend" },
        sender: { email: "mallory@nhs.net", authenticated: true },
      }),
    );
    expect(error.code).toBe("forbidden");
  });
});

describe("requests about an existing account", () => {
  it("CC-7g a leaver's suspension is urgent and due within one working day", async () => {
    const amina = await accountByEmail(world.db, AMINA);
    const submitted = await submitAs(world, { type: "suspension", subjectAccountId: amina.id, reason: "leaver" });
    expect(submitted).toMatchObject({ priority: "urgent", title: "Suspension – Amina Okafor" });
    expect(submitted.dueAt.toISOString()).toBe("2026-05-06T09:00:00.000Z");
    const [event] = await requestAudit(world.db, submitted.requestId);
    expect(event).toMatchObject({ action: "request.submitted", subjectAccountId: amina.id });
    expect(event?.detail).toMatchObject({ priority: "urgent" });
  });

  it("AUP-5.2d an account of another organisation cannot be named", async () => {
    const other = await createProvider(world);
    const error = await appError(submitAs(world, { type: "suspension", subjectAccountId: other.lead.id, reason: "leaver" }));
    expect(error.code).toBe("validation");
    expect(error.fieldErrors.subjectAccountId).toBe("Select a user of your organisation");
  });

  it("UAP-4.3c a suspended account cannot be suspended again, nor changed before reinstatement", async () => {
    const lee = await accountByEmail(world.db, LEE);
    expect((await appError(submitAs(world, { type: "suspension", subjectAccountId: lee.id, reason: "leaver" }))).fieldErrors.subjectAccountId).toContain("already suspended");
    expect((await appError(submitAs(world, { type: "role_change", subjectAccountId: lee.id, roleKeys: ["finance"] }))).fieldErrors.subjectAccountId).toContain("reinstated first");
  });

  it("UAP-4.3c an active account cannot be reinstated", async () => {
    const tom = await accountByEmail(world.db, TOM);
    expect((await appError(submitAs(world, { type: "reinstatement", subjectAccountId: tom.id, reason: "x" }))).fieldErrors.subjectAccountId).toContain("not suspended");
  });

  it("UAP-A.3 the Lead correspondent is not suspended or re-roled by an ordinary request", async () => {
    const priya = await accountByEmail(world.db, PRIYA);
    expect((await appError(submitAs(world, { type: "suspension", subjectAccountId: priya.id, reason: "leaver" }))).fieldErrors.subjectAccountId).toContain("change of Lead correspondent");
    expect((await appError(submitAs(world, { type: "role_change", subjectAccountId: priya.id, roleKeys: ["finance"] }))).fieldErrors.subjectAccountId).toContain("change of Lead correspondent");
  });

  it("UAP-A.5 a role change to the roles already held is refused", async () => {
    const tom = await accountByEmail(world.db, TOM);
    expect((await appError(submitAs(world, { type: "role_change", subjectAccountId: tom.id, roleKeys: ["finance"] }))).fieldErrors.roleKeys).toContain("already has exactly");
  });

  it("UAP-2.1 a second open request for the same change is refused", async () => {
    const kate = await accountByEmail(world.db, KATE);
    const first = await submitAs(world, { type: "end_date_change", subjectAccountId: kate.id, endDate: "2026-07-31" });
    const error = await appError(submitAs(world, { type: "end_date_change", subjectAccountId: kate.id, endDate: "2026-08-31" }));
    expect(error.fieldErrors.subjectAccountId).toContain(`${first.reference} already asks for this`);
  });
});

describe("licences (CC-2a)", () => {
  it("CC-2a a new user beyond the year's allocation is refused with a clear error, open requests counting", async () => {
    const other = await createProvider(world);
    // One licence held by the Lead; allow two.
    await world.db.insert(tables.licenceAllocations).values({ organisationId: other.organisation.id, year: 2026, allocation: 2 });
    await submitAs(world, newUserInput(), other.lead.email);
    const before = await footprint(world.db);
    const error = await appError(submitAs(world, newUserInput(), other.lead.email));
    expect(error.code).toBe("refused");
    expect(error.userMessage).toContain("has no licences left for 2026: all 2 are in use or requested");
    expect(await footprint(world.db)).toEqual(before);
  });

  it("CC-2a the organisation's authorisers are alerted once when use reaches the threshold", async () => {
    const other = await createProvider(world);
    // 90% threshold: the Lead plus 8 requests is 9 of 10.
    await world.db.insert(tables.licenceAllocations).values({ organisationId: other.organisation.id, year: 2026, allocation: 10 });
    const alerts = async () => (await world.db.select().from(tables.outboundMessages).where(eq(tables.outboundMessages.kind, "licence_alert"))).filter((m) => m.to.includes(other.lead.email));
    for (let i = 0; i < 7; i++) await submitAs(world, newUserInput(), other.lead.email);
    expect(await alerts()).toHaveLength(0);
    const crossing = await submitAs(world, newUserInput(), other.lead.email);
    const sent = await alerts();
    expect(sent).toHaveLength(1);
    expect(sent[0]?.subject).toContain("has used 9 of its 10 licences for 2026");
    const [allocation] = await world.db.select().from(tables.licenceAllocations).where(eq(tables.licenceAllocations.organisationId, other.organisation.id));
    expect(allocation?.alertedAt).toBe(90);
    expect((await requestAudit(world.db, crossing.requestId)).map((e) => e.action)).toEqual(["request.submitted", "organisation.licence_alert_sent"]);
    await submitAs(world, newUserInput(), other.lead.email);
    expect(await alerts()).toHaveLength(1);
  });
});

describe("SLA clock (CC-5, UCP-HD-1)", () => {
  it("CC-5 the due time skips a weekend and a bank holiday", async () => {
    // Friday 1 May 2026, 10:00 in London; Monday 4 May is the early May bank holiday.
    const friday = await createRequestWorld("2026-05-01T09:00:00.000Z");
    try {
      const submitted = await submitRequest({ db: friday.db, actor: await actorFor(friday.db, PRIYA), clock: friday.clock, config: friday.config, input: newUserInput() });
      // Tue, Wed, Thu, Fri, then Monday 11 May at 10:00.
      expect(submitted.dueAt.toISOString()).toBe("2026-05-11T09:00:00.000Z");
      // Urgent: one working day — over the weekend and the bank holiday to Tuesday 5 May, 10:00.
      const amina = await accountByEmail(friday.db, AMINA);
      const leaver = await submitRequest({ db: friday.db, actor: await actorFor(friday.db, PRIYA), clock: friday.clock, config: friday.config, input: { type: "suspension", subjectAccountId: amina.id, reason: "leaver" } });
      expect(leaver.dueAt.toISOString()).toBe("2026-05-05T09:00:00.000Z");
    } finally {
      await friday.dispose();
    }
  });

  it("UCP-HD-1 a request received out of hours starts its clock at the next opening", async () => {
    // Saturday 9 May 2026, 14:00 in London: the clock starts Monday 11 May 09:00, so five full days end Friday 15 May 17:00.
    world.clock.set("2026-05-09T13:00:00.000Z");
    try {
      const submitted = await submitAs(world, newUserInput());
      expect(submitted.dueAt.toISOString()).toBe("2026-05-15T16:00:00.000Z");
    } finally {
      world.clock.set("2026-05-05T09:00:00.000Z");
    }
  });
});
