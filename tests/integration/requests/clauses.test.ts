import { eq, sql } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { grantsFor, can } from "@/lib/auth/permissions";
import * as tables from "@/lib/db/schema";
import { approveRequest } from "@/lib/requests/approve-request";
import { accountByEmail, appError, BASE_URL, bringToInProgress, CHRIS, newUserInput, PRIYA, requestMail, rolesOf, SAM, staffOptions, submitAs, TOM, createRequestWorld, type RequestWorld } from "./fixtures";

describe("requests: who may do what", () => {
  let world: RequestWorld;
  beforeEach(async () => {
    world = await createRequestWorld();
  });
  afterEach(async () => {
    await world?.dispose();
  });

  it("UAP-1.2 a provider account is only ever asked for inside the requester's own contracted organisation", async () => {
    const [riverside] = await world.db.select({ id: tables.organisations.id }).from(tables.organisations).where(eq(tables.organisations.odsCode, "RV4D5"));
    const refused = await appError(submitAs(world, { ...newUserInput(), organisationId: riverside!.id }));
    expect(refused.code).toBe("forbidden");
    const [{ n }] = (await world.db.select({ n: sql<number>`count(*)::int` }).from(tables.requests)) as [{ n: number }];
    expect(n).toBe(0);

    const submitted = await submitAs(world, newUserInput());
    const [row] = await world.db.select().from(tables.requests).where(eq(tables.requests.id, submitted.requestId));
    expect(row!.organisationId).toBe(world.meadowbankId);
  });

  it("UAP-4.1 only operator staff with edit rights on requests apply them: not the Lead correspondent, not an auditor", async () => {
    const { requestId } = await submitAs(world, newUserInput());
    await bringToInProgress(world, requestId);
    for (const who of [PRIYA, CHRIS]) {
      const options = await staffOptions(world, who, requestId);
      const refused = await appError(approveRequest({ ...options, baseUrl: BASE_URL }));
      expect(refused.code, who).toBe("forbidden");
    }
    const approved = await approveRequest({ ...(await staffOptions(world, SAM, requestId)), baseUrl: BASE_URL });
    expect(approved.status).toBe("resolved");
  });

  it("AUP-5.1d each security role grants read or edit on its listed kinds, and nothing else is reachable", async () => {
    const finance = grantsFor(world.config, ["finance"]);
    const role = world.config.securityRoles.find((r) => r.key === "finance")!;
    expect(finance).toEqual(role.grants);
    for (const kind of ["users", "contracts", "requests", "audit", "outbox"] as const) {
      if (!(kind in role.grants)) expect(can({ grants: finance }, kind), kind).toBe(false);
    }
    expect(can({ grants: finance }, "payments", "read")).toBe(true);
    expect(can({ grants: finance }, "payments", "edit")).toBe(role.grants.payments === "edit");
    // A Finance user is no authoriser: asking for a new user is refused.
    const refused = await appError(submitAs(world, newUserInput(), TOM));
    expect(refused.code).toBe("forbidden");
  });

  it("UCP-USR-2 a deactivation asked for because someone moved organisation is a ticket that suspends the account when actioned", async () => {
    const amina = await accountByEmail(world.db, "amina.okafor@meadowbank-care.example.org");
    const { requestId } = await submitAs(world, { type: "suspension", subjectAccountId: amina.id, reason: "moved_organisation" });
    await bringToInProgress(world, requestId);
    await approveRequest({ ...(await staffOptions(world, SAM, requestId)), baseUrl: BASE_URL });
    const after = await accountByEmail(world.db, amina.email);
    expect(after.status).toBe("suspended");
  });

  it("UCP-PROV-1 provisioning checks the organisation and the email domain, then creates the account and issues credentials to the user's own email", async () => {
    // An address off the accepted domains needs the requester's attestation before anything is created.
    const unattested = await appError(submitAs(world, newUserInput({ email: "sam.jones@meadowbank-care.example.org" })));
    expect(unattested.code).toBe("validation");
    expect(unattested.fieldErrors.emailAttested).toBeTruthy();

    const input = newUserInput();
    const { requestId } = await submitAs(world, input);
    await bringToInProgress(world, requestId);
    await approveRequest({ ...(await staffOptions(world, SAM, requestId)), baseUrl: BASE_URL });
    const account = await accountByEmail(world.db, input.email);
    expect(account.organisationId).toBe(world.meadowbankId);
    expect(account.status).toBe("pending");
    expect(await rolesOf(world.db, account.id)).toEqual(["care_coordinator"]);
    const mail = await requestMail(world.db, requestId);
    const setup = mail.find((m) => m.kind === "account_setup_link");
    expect(setup?.to).toEqual([input.email]);
    expect(setup?.text).toContain(`${BASE_URL}/set-up/`);
  });
});
