import { sql } from "drizzle-orm";
import type { Clock } from "../clock";
import type { PortalConfig } from "../config";
import { accounts, licenceAllocations, organisations, policyAcceptances, roleGrants } from "../db/schema";
import type { Database, Executor } from "../db/types";
import { recordAudit } from "../audit/record-audit";
import { systemActor } from "../audit/events";
import { hashPassword } from "../auth/passwords";
import { sealSecurityNumber } from "../auth/security-number";
import { sendAccountSetup } from "../auth/account-setup/send-account-setup";
import { policiesToAccept } from "../auth/policy-acceptance";
import { seedCareDemo } from "./care-demo";
import { seedProviderFunctionsDemo } from "./provider-functions-demo";
import { demoOrganisations, DEMO_PASSWORD, DEMO_SECURITY_NUMBER, type DemoAccount } from "./demo-data";

export interface DemoSummary {
  password: string;
  securityNumber: string;
  accounts: { email: string; organisation: string; roles: string[]; status: string }[];
}

export async function isDatabaseEmpty(db: Executor): Promise<boolean> {
  const [row] = await db.select({ n: sql<number>`count(*)::int` }).from(organisations);
  return (row?.n ?? 0) === 0;
}

const DAY = 86_400_000;

/**
 * Seeds a demo operator with staff, and three providers (active, onboarding, closed) on
 * example.org addresses, in one transaction with its audit events. Roles that the deployed
 * profile lacks are mapped to its lead role, so the demo works under any profile.
 */
export async function seedDemo(options: {
  db: Database;
  config: PortalConfig;
  clock: Clock;
  secretsKey: Buffer;
  baseUrl?: string;
  /** The sample contacts, contract and query (on by default); tests that count those rows start without them. */
  providerFunctions?: boolean;
}): Promise<DemoSummary> {
  const { db, config, clock, secretsKey, baseUrl = "http://localhost:3000", providerFunctions = true } = options;
  const now = clock.now();
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  const summary: DemoSummary = { password: DEMO_PASSWORD, securityNumber: DEMO_SECURITY_NUMBER, accounts: [] };
  const roleKeys = new Set(config.securityRoles.map((r) => r.key));
  const firstOperatorRole = config.securityRoles.find((r) => r.audience === "operator")?.key;
  const pickRole = (key: string, audience: "provider" | "operator") =>
    roleKeys.has(key) ? key : audience === "provider" ? config.leadRoleKey : (firstOperatorRole ?? config.leadRoleKey);

  await db.transaction(async (tx) => {
    const audit: Parameters<typeof recordAudit>[3] = [];
    const waiting: { account: { id: string; email: string; fullName: string }; organisation: ReturnType<typeof demoOrganisations>[number] }[] = [];
    for (const org of demoOrganisations(config)) {
      const [created] = await tx
        .insert(organisations)
        .values({ odsCode: org.odsCode, name: org.name, kind: org.kind, type: org.type, status: org.status, address: org.address, eligibility: org.eligibility })
        .returning({ id: organisations.id });
      const organisationId = created!.id;
      audit.push({ action: "organisation.created", organisationId, detail: { odsCode: org.odsCode, name: org.name, status: org.status, demo: true } });
      if (org.licences !== undefined) {
        await tx.insert(licenceAllocations).values({ organisationId, year: now.getUTCFullYear(), allocation: org.licences });
      }
      for (const person of org.accounts) {
        const row = accountRow(person, organisationId, org.kind, now, passwordHash, sealSecurityNumber(secretsKey, DEMO_SECURITY_NUMBER));
        const [account] = await tx.insert(accounts).values(row).returning({ id: accounts.id });
        const roles = person.roles.map((r) => pickRole(r, org.kind));
        await tx.insert(roleGrants).values([...new Set(roles)].map((roleKey) => ({ accountId: account!.id, roleKey })));
        audit.push({
          action: "account.created",
          organisationId,
          subjectAccountId: account!.id,
          detail: { email: person.email, roles, status: person.status, demo: true },
        });
        summary.accounts.push({ email: person.email, organisation: org.name, roles, status: person.status });
        // Accounts already in use accepted the current policies when they last signed in (AUP-5.1a).
        if (person.status !== "pending") {
          for (const policy of policiesToAccept(config)) {
            await tx.insert(policyAcceptances).values({ accountId: account!.id, policyKey: policy.key, version: policy.version, acceptedAt: row.lastSignInAt ?? now });
            audit.push({ action: "policy.accepted", organisationId, subjectAccountId: account!.id, detail: { policy: policy.key, version: policy.version, demo: true } });
          }
        }
        if (person.status === "pending") waiting.push({ account: { id: account!.id, email: person.email, fullName: person.fullName }, organisation: org });
      }
    }
    // A new account waiting for its owner: its two set-up emails (CC-6) are in the outbox.
    for (const { account, organisation } of waiting) {
      const leadEmails = organisation.accounts.filter((p) => p.status === "active" && p.roles.includes(config.leadRoleKey)).map((p) => p.email);
      await sendAccountSetup(tx, { config, clock, baseUrl }, account, { leadEmails });
    }
    audit.push({ action: "demo.seeded", detail: { organisations: 4, accounts: summary.accounts.length } });
    await recordAudit(tx, systemActor("system", "Demo seed"), clock, audit);
  });
  // Care packages, purchase orders and payments for the providers, through the feed importer.
  await seedCareDemo({ db, clock });
  // Key contacts, a contract to sign and an open query, through the portal's own use cases.
  if (providerFunctions) await seedProviderFunctionsDemo({ db, config, clock });
  return summary;

  function accountRow(person: DemoAccount, organisationId: string, audience: "provider" | "operator", at: Date, hash: string, sealed: string) {
    const daysAgo = (n: number | undefined) => (n === undefined ? null : new Date(at.getTime() - n * DAY));
    const dateIn = (n: number | undefined) => (n === undefined ? null : new Date(at.getTime() + n * DAY).toISOString().slice(0, 10));
    const ready = person.status !== "pending";
    return {
      organisationId,
      audience,
      fullName: person.fullName,
      email: person.email,
      status: person.status,
      jobTitle: person.jobTitle,
      registrationBody: person.registration?.body ?? null,
      registrationNumber: person.registration?.number ?? null,
      endDate: dateIn(person.endInDays),
      igTrainingDate: dateIn(person.trainedDaysAgo === undefined ? undefined : -person.trainedDaysAgo),
      lastSignInAt: daysAgo(person.lastSignInDaysAgo),
      activatedAt: ready ? daysAgo(person.activatedDaysAgo ?? 200) : null,
      suspendedAt: person.status === "suspended" ? daysAgo(person.suspendedDaysAgo ?? 5) : null,
      suspensionReason: person.status === "suspended" ? (person.suspensionReason ?? "Suspended") : null,
      passwordHash: ready ? hash : null,
      securityNumberSealed: ready ? sealed : null,
    };
  }
}
