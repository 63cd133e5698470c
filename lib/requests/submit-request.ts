import { and, eq, inArray, sql } from "drizzle-orm";
import { recordAudit } from "../audit/record-audit";
import type { Actor } from "../audit/events";
import { slaDueTime } from "../calendar/sla-due-time";
import type { Clock } from "../clock";
import type { PortalConfig } from "../config";
import { accounts, roleGrants } from "../db/schema/accounts";
import { organisations } from "../db/schema/organisations";
import { requests } from "../db/schema/requests";
import type { Executor } from "../db/types";
import { AppError } from "../errors";
import { enqueueMessage } from "../mail/enqueue-message";
import { normaliseEmail } from "../policy/email-policy";
import { licenceUse, licenceYear, markLicenceAlerted, organisationAuthorisers } from "./licences";
import { acknowledgementMessage, licenceAlertMessage } from "./messages";
import { licenceAlertRecipients } from "../organisations/rules";
import {
  defaultPriority,
  formatReference,
  licenceAlertDue,
  licenceAvailable,
  openStatuses,
  requestTitle,
  serviceDay,
  slaWorkingDaysFor,
  typeLabels,
  type RequestPriority,
  type RequestStatus,
  type RequestType,
} from "./rules";
import { parseRequestInput, type RequestDetails, type RequestInput, type RequestPayload, type SenderAuthenticationEvidence, type SenderEvidence } from "./schema";

export interface SubmitRequestOptions {
  /** The database, or a transaction to join. */
  db: Executor;
  /**
   * Who asks, through which channel. A provider account (the web form, Slack, or an email the
   * listener matched to its sender's account); for a Lead change only, an email from someone
   * without an account (accountId null, with `sender`).
   */
  actor: Actor;
  clock: Clock;
  config: PortalConfig;
  /** Form-like values for one request type; parsed here with lib/requests/schema.ts. */
  input: RequestInput | Record<string, unknown>;
  /** For requests that arrived by email: the sender as the listener saw it (UAP-A.8). */
  sender?: { email: string; displayName?: string | null; authenticated: boolean; authentication?: SenderAuthenticationEvidence; messageId?: string | null };
}

export interface SubmittedRequest {
  requestId: string;
  number: number;
  reference: string;
  type: RequestType;
  title: string;
  status: RequestStatus;
  priority: RequestPriority;
  receivedAt: Date;
  dueAt: Date;
}

interface Requester {
  accountId: string | null;
  fullName: string;
  email: string;
  organisationId: string | null;
  as: RequestPayload["requester"]["as"];
}

type SubjectAccount = typeof accounts.$inferSelect & { roles: string[] };

/**
 * Receives a request for a change to a provider's accounts (UAP-2.1, UAP-2.4, CC-3): checks
 * that it comes from the organisation's Lead correspondent or another authoriser (CC-4,
 * AUP-6.3) — or, for a reinstatement, from the account holder by email (UAP-A.8), or for a
 * Lead change from the incoming Lead (UAP-A.3) — that the organisation is active, that it has
 * a licence free for a new user (CC-2a) and that nothing duplicates it; then logs it with its
 * SLA due time (CC-5, UCP-HD-1), acknowledges it by email with its reference and audits it.
 */
export async function submitRequest(options: SubmitRequestOptions): Promise<SubmittedRequest> {
  const { db, actor, clock, config } = options;
  const now = clock.now();
  const today = serviceDay(now, config.requests.serviceHours.timeZone);
  const details = parseRequestInput(options.input, { config, today });

  return db.transaction(async (tx) => {
    const requester = await identifyRequester(tx, options, details);
    const organisationId = details.organisationId ?? requester.organisationId;
    if (!organisationId) throw new AppError("validation", "no organisation for the request", "There is a problem with the request", { organisationId: "Select the organisation the request is for" });
    if (requester.organisationId && requester.organisationId !== organisationId) throw notAuthoriser();

    const [organisation] = await tx.select().from(organisations).where(eq(organisations.id, organisationId));
    if (!organisation || organisation.kind !== "provider") throw new AppError("not_found", `organisation ${organisationId} not found`, "The organisation could not be found.");
    const allowed = organisation.status === "active" || (organisation.status === "closing" && details.type === "suspension");
    if (!allowed) {
      throw new AppError("refused", `organisation ${organisation.odsCode} is ${organisation.status}`, `${organisation.name} is not active in the portal, so account requests cannot be made for it.`);
    }

    // One request at a time per organisation: the licence count and the duplicate checks
    // below stay true until this transaction commits.
    await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`requests:${organisationId}`}, 0))`);

    const subject = await loadSubject(tx, details, organisationId);
    checkAuthority(requester, details, subject, options);
    await checkTypeRules(tx, config, details, subject, organisationId, today);
    await refuseDuplicates(tx, details, subject, organisationId);

    let licence: Awaited<ReturnType<typeof licenceUse>> | null = null;
    if (details.type === "new_user") {
      licence = await licenceUse(tx, config, organisationId, licenceYear(now));
      if (!licenceAvailable(licence)) {
        throw new AppError(
          "refused",
          `licences full for ${organisation.odsCode} (${licence.used}/${licence.allocation})`,
          `${organisation.name} has no licences left for ${licence.year}: all ${licence.allocation} are in use or requested. Ask for the suspension of an account that is no longer needed, or contact ${config.operator.teamName} about the allocation.`,
        );
      }
    }

    const priority = defaultPriority({ type: details.type, reason: details.type === "suspension" ? details.reason : undefined });
    const dueAt = slaDueTime({ receivedAt: now, requests: config.requests, days: slaWorkingDaysFor(priority, config.requests) }).dueAt;
    const title = requestTitle(details.type, titleName(details, subject));
    const payload: RequestPayload = {
      details: { ...details, organisationId },
      requester: { accountId: requester.accountId, fullName: requester.fullName, email: requester.email, as: requester.as },
    };
    const attested = attestedEmail(details);
    if (attested) payload.emailAttestation = { email: attested, attestedById: requester.accountId, attestedByLabel: requester.fullName, attestedAt: now.toISOString() };
    if (options.sender) payload.sender = senderEvidence(options.sender, requester, subject);

    const subjectAccountId = subject?.id ?? null;
    const [row] = await tx
      .insert(requests)
      .values({
        type: details.type,
        status: "received",
        priority,
        title,
        organisationId,
        subjectAccountId,
        requestedById: requester.accountId,
        channel: actor.channel,
        payload: payload as unknown as Record<string, unknown>,
        receivedAt: now,
        dueAt,
        createdAt: now,
        updatedAt: now,
      })
      .returning();
    const request = row!;
    const reference = formatReference(request.number);

    await enqueueMessage(tx, acknowledgementMessage(config, { id: request.id, reference, title, dueAt }, requester));
    const events: Parameters<typeof recordAudit>[3] = [
      {
        action: "request.submitted",
        organisationId,
        subjectAccountId,
        requestId: request.id,
        detail: {
          reference,
          type: details.type,
          title,
          priority,
          dueAt: dueAt.toISOString(),
          requester: payload.requester,
          details: payload.details,
          ...(payload.emailAttestation ? { emailAttestation: payload.emailAttestation } : {}),
          ...(payload.sender ? { sender: payload.sender } : {}),
        },
      },
    ];

    // CC-2a: the organisation's authorisers hear when its licences near the maximum.
    if (licence) {
      const after = { ...licence, used: licence.used + 1 };
      if (licenceAlertDue(after, config.licences.alertThresholdPercent, licence.alertedPercent)) {
        const authorisers = await organisationAuthorisers(tx, config, organisationId);
        // CC-2a: the organisation's Lead correspondent(s) and the operator's staff, once per crossing.
        await enqueueMessage(tx, licenceAlertMessage(config, organisation, after, licenceAlertRecipients(authorisers.map((a) => a.email), config.operator.mailbox)));
        await markLicenceAlerted(tx, organisationId, after.year, after.allocation, config.licences.alertThresholdPercent);
        events.push({
          action: "organisation.licence_alert_sent",
          organisationId,
          requestId: request.id,
          detail: { year: after.year, used: after.used, allocation: after.allocation, thresholdPercent: config.licences.alertThresholdPercent, to: authorisers.map((a) => a.email) },
        });
      }
    }
    await recordAudit(tx, actor, clock, events);

    return { requestId: request.id, number: request.number, reference, type: request.type, title, status: request.status, priority, receivedAt: now, dueAt };
  });
}

function notAuthoriser(): AppError {
  return new AppError(
    "forbidden",
    "requester is not an authoriser of the organisation",
    "Only your organisation's Lead correspondent (or another authoriser) can ask for accounts to be created, changed or suspended.",
  );
}

/** Who is asking: the actor's account, or for an emailed Lead change, its sender. */
async function identifyRequester(tx: Executor, options: SubmitRequestOptions, details: RequestDetails): Promise<Requester & { roles: string[]; status: string | null }> {
  const { actor, sender } = options;
  if (actor.accountId) {
    const [account] = await tx.select().from(accounts).where(eq(accounts.id, actor.accountId));
    if (!account || account.audience !== "provider") throw notAuthoriser();
    const roles = (await tx.select({ roleKey: roleGrants.roleKey }).from(roleGrants).where(eq(roleGrants.accountId, account.id))).map((r) => r.roleKey);
    const as = roles.some((key) => options.config.securityRoles.some((r) => r.key === key && r.audience === "provider" && r.authoriser)) ? "authoriser" : "account_holder";
    return { accountId: account.id, fullName: account.fullName, email: account.email, organisationId: account.organisationId, as, roles, status: account.status };
  }
  // Someone without an account can only be an incoming Lead correspondent writing in (UAP-A.3).
  if (sender && actor.channel === "email" && details.type === "lead_change") {
    return { accountId: null, fullName: sender.displayName?.trim() || sender.email, email: normaliseEmail(sender.email), organisationId: null, as: "incoming_lead", roles: [], status: null };
  }
  throw notAuthoriser();
}

/**
 * CC-4 / AUP-6.3: an active authoriser of the organisation asks for anything. Otherwise only:
 * the holder of a suspended account asking, by email from its own address, to be reinstated
 * (UAP-A.8); and the incoming Lead correspondent asking for the Lead change (UAP-A.3).
 */
function checkAuthority(requester: Requester & { status: string | null }, details: RequestDetails, subject: SubjectAccount | null, options: SubmitRequestOptions): void {
  if (requester.as === "authoriser" && requester.status === "active") return;
  if (details.type === "reinstatement" && requester.accountId && subject?.id === requester.accountId && options.actor.channel === "email") {
    // From the address linked to the account, and no other (UAP-A.8).
    if (options.sender && normaliseEmail(options.sender.email) === normaliseEmail(subject.email)) {
      requester.as = "account_holder";
      return;
    }
  }
  if (details.type === "lead_change") {
    const incoming = details.newLead;
    if (incoming.kind === "existing" && requester.accountId === incoming.accountId && requester.status === "active") {
      requester.as = "incoming_lead";
      return;
    }
    if (incoming.kind === "new" && !requester.accountId && requester.email === incoming.email) return;
  }
  throw notAuthoriser();
}

/** The account the request is about, which must belong to the organisation (AUP-5.2d). */
async function loadSubject(tx: Executor, details: RequestDetails, organisationId: string): Promise<SubjectAccount | null> {
  const id = "subjectAccountId" in details ? details.subjectAccountId : details.type === "lead_change" && details.newLead.kind === "existing" ? details.newLead.accountId : null;
  if (!id) return null;
  const field = details.type === "lead_change" ? "newLeadAccountId" : "subjectAccountId";
  const [account] = await tx.select().from(accounts).where(and(eq(accounts.id, id), eq(accounts.organisationId, organisationId), eq(accounts.audience, "provider")));
  if (!account) throw new AppError("validation", `account ${id} is not a user of ${organisationId}`, "There is a problem with the request", { [field]: "Select a user of your organisation" });
  const roles = (await tx.select({ roleKey: roleGrants.roleKey }).from(roleGrants).where(eq(roleGrants.accountId, id))).map((r) => r.roleKey).sort();
  return { ...account, roles };
}

/** The rules that need the database: the subject's state, existing accounts, dates already set. */
async function checkTypeRules(tx: Executor, config: PortalConfig, details: RequestDetails, subject: SubjectAccount | null, _organisationId: string, today: string): Promise<void> {
  const refuse = (field: string, message: string) => {
    throw new AppError("refused", `${details.type}: ${message}`, message, { [field]: message });
  };
  const leadRole = config.securityRoles.find((r) => r.key === config.leadRoleKey)?.name ?? "Lead correspondent";
  const isLead = subject?.roles.includes(config.leadRoleKey) ?? false;
  switch (details.type) {
    case "new_user":
      await refuseExistingEmail(tx, details.email, refuse);
      return;
    case "role_change": {
      if (subject!.status === "suspended") refuse("subjectAccountId", `${subject!.fullName}'s account is suspended. Ask for it to be reinstated first`);
      if (isLead) refuse("subjectAccountId", `${subject!.fullName} is the ${leadRole}. To change that, request a change of ${leadRole}`);
      const wanted = [...details.roleKeys].sort();
      if (wanted.join(",") === subject!.roles.join(",")) refuse("roleKeys", `${subject!.fullName} already has exactly these security roles`);
      return;
    }
    case "suspension":
      if (subject!.status === "suspended") refuse("subjectAccountId", `${subject!.fullName}'s account is already suspended`);
      if (isLead) refuse("subjectAccountId", `${subject!.fullName} is the ${leadRole}. Request a change of ${leadRole}, which can suspend the outgoing one's account`);
      return;
    case "reinstatement":
      if (subject!.status !== "suspended") refuse("subjectAccountId", `${subject!.fullName}'s account is not suspended`);
      if (!details.endDate && subject!.endDate && subject!.endDate <= today) {
        refuse("endDate", `${subject!.fullName}'s access ended on ${subject!.endDate}. Enter a new end date to reinstate the account`);
      }
      return;
    case "end_date_change":
      if (subject!.status === "suspended") refuse("subjectAccountId", `${subject!.fullName}'s account is suspended. Ask for it to be reinstated with a new end date instead`);
      if (subject!.endDate === details.endDate) refuse("endDate", `${subject!.fullName}'s access already ends on ${details.endDate}`);
      return;
    case "lead_change":
      if (details.newLead.kind === "new") {
        await refuseExistingEmail(tx, details.newLead.email, refuse);
      } else {
        if (subject!.status === "suspended") refuse("newLeadAccountId", `${subject!.fullName}'s account is suspended. Ask for it to be reinstated first`);
        if (isLead) refuse("newLeadAccountId", `${subject!.fullName} is already the ${leadRole}`);
      }
      return;
  }
}

/** UAP-2.2: one account per email, compared without regard to case. */
async function refuseExistingEmail(tx: Executor, email: string, refuse: (field: string, message: string) => never): Promise<void> {
  const [existing] = await tx.select({ id: accounts.id, status: accounts.status }).from(accounts).where(sql`lower(${accounts.email}) = ${normaliseEmail(email)}`).limit(1);
  if (existing) {
    refuse(
      "email",
      existing.status === "suspended"
        ? `${email} already has an account, which is suspended. Ask for that account to be reinstated instead`
        : `${email} already has an account. Each person has one account: ask for a role change instead if they need different access`,
    );
  }
}

/** An open request for the same change (the same account, or the same new email) is not made twice. */
async function refuseDuplicates(tx: Executor, details: RequestDetails, subject: SubjectAccount | null, organisationId: string): Promise<void> {
  const open = and(eq(requests.organisationId, organisationId), inArray(requests.status, [...openStatuses]));
  let duplicate: { number: number; field: string } | undefined;
  if (details.type === "new_user" || (details.type === "lead_change" && details.newLead.kind === "new")) {
    const email = details.type === "new_user" ? details.email : details.newLead.kind === "new" ? details.newLead.email : "";
    const [row] = await tx
      .select({ number: requests.number })
      .from(requests)
      .where(
        and(
          open,
          sql`(${requests.payload} -> 'details' ->> 'email' = ${email} or ${requests.payload} -> 'details' -> 'newLead' ->> 'email' = ${email})`,
        ),
      )
      .limit(1);
    if (row) duplicate = { number: row.number, field: "email" };
  }
  if (details.type === "lead_change") {
    const [row] = await tx.select({ number: requests.number }).from(requests).where(and(open, eq(requests.type, "lead_change"))).limit(1);
    if (row) duplicate = { number: row.number, field: "newLead" };
  } else if (subject) {
    const [row] = await tx.select({ number: requests.number }).from(requests).where(and(open, eq(requests.type, details.type), eq(requests.subjectAccountId, subject.id))).limit(1);
    if (row) duplicate = { number: row.number, field: "subjectAccountId" };
  }
  if (duplicate) {
    const message = `${formatReference(duplicate.number)} already asks for this and is still open. Wait for it to be actioned, or quote its reference to ask about it`;
    throw new AppError("refused", `duplicate of ${formatReference(duplicate.number)}`, message, { [duplicate.field]: message });
  }
}

/** The person the title names (CC-4): the new user, the new Lead, or the account the request is about. */
function titleName(details: RequestDetails, subject: SubjectAccount | null): string {
  if (details.type === "new_user") return details.fullName;
  if (details.type === "lead_change" && details.newLead.kind === "new") return details.newLead.fullName;
  return subject?.fullName ?? typeLabels[details.type];
}

/** The email the requester attested as suitable (UCP-EMAIL-1), if one needed it. */
function attestedEmail(details: RequestDetails): string | null {
  if (details.type === "new_user" && details.emailVerdict === "attestation_required" && details.emailAttested) return details.email;
  if (details.type === "lead_change" && details.newLead.kind === "new" && details.newLead.emailVerdict === "attestation_required" && details.newLead.emailAttested) return details.newLead.email;
  return null;
}

/**
 * UAP-A.8: does the sender match the account the request speaks for — the requester's own
 * account (the account holder asking to be reinstated, the Lead announcing a leaver), or for
 * someone without an account, the account it is about? Staff see the answer, and a mismatch or
 * a failed authentication must be confirmed by them before approval (lib/requests/rules.ts).
 * A message without a display name gives no evidence about the name either way.
 */
function senderEvidence(sender: NonNullable<SubmitRequestOptions["sender"]>, requester: Requester, subject: SubjectAccount | null): SenderEvidence {
  const evidence: SenderEvidence = { email: normaliseEmail(sender.email), displayName: sender.displayName?.trim() || null, authenticated: sender.authenticated };
  if (sender.authentication) evidence.authentication = sender.authentication;
  if (sender.messageId !== undefined) evidence.messageId = sender.messageId;
  const account = requester.accountId ? { email: requester.email, fullName: requester.fullName } : subject;
  if (account) {
    const name = (text: string) => text.toLowerCase().replace(/\s+/g, " ");
    evidence.emailMatchesAccount = evidence.email === normaliseEmail(account.email);
    if (evidence.displayName) evidence.nameMatchesAccount = name(evidence.displayName) === name(account.fullName);
  }
  return evidence;
}
