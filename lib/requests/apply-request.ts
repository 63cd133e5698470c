import { and, eq, ne } from "drizzle-orm";
import { lockAccount, rolesOf } from "../accounts/account-changes";
import { changeAccountEndDate } from "../accounts/change-account-end-date";
import { changeAccountRoles } from "../accounts/change-account-roles";
import { createProviderAccount } from "../accounts/create-provider-account";
import { reinstateAccount } from "../accounts/reinstate-account";
import { revokeAccountRole } from "../accounts/revoke-account-role";
import { suspendAccount } from "../accounts/suspend-account";
import { recordAudit } from "../audit/record-audit";
import type { Actor } from "../audit/events";
import { sendAccountSetup } from "../auth/account-setup/send-account-setup";
import type { Clock } from "../clock";
import type { PortalConfig } from "../config";
import { accounts, roleGrants } from "../db/schema/accounts";
import type { Transaction } from "../db/types";
import { AppError } from "../errors";
import { licenceUse, licenceYear } from "./licences";
import { formatReference, licenceAvailable } from "./rules";
import { suspensionReasonLabels, type DetailsOf, type RequestPayload } from "./schema";
import type { RequestRow } from "./staff-action";

export interface ApplyContext {
  tx: Transaction;
  actor: Actor;
  clock: Clock;
  config: PortalConfig;
  /** The portal's public address, for the set-up link (CC-6). */
  baseUrl: string;
  request: RequestRow;
  payload: RequestPayload;
}

export interface ApplyResult {
  /** The account the request ended up being about (a new user's new account). */
  subjectAccountId: string | null;
  /** What was done, kept on the request and its audit event. */
  outcome: Record<string, unknown>;
  /** The sentence the requester's resolution email carries. */
  summary: string;
}

/**
 * Makes the change a request asks for, inside the approving transaction: every account change
 * writes its own audit event (with the request's id), so the log reads change by change.
 */
export async function applyRequest(ctx: ApplyContext): Promise<ApplyResult> {
  const details = ctx.payload.details;
  switch (details.type) {
    case "new_user":
      return applyNewUser(ctx, details);
    case "role_change":
      return applyRoleChange(ctx, details);
    case "suspension":
      return applySuspension(ctx, details);
    case "reinstatement":
      return applyReinstatement(ctx, details);
    case "end_date_change":
      return applyEndDateChange(ctx, details);
    case "lead_change":
      return applyLeadChange(ctx, details);
  }
}

function common(ctx: ApplyContext) {
  return { tx: ctx.tx, actor: ctx.actor, clock: ctx.clock, requestId: ctx.request.id };
}

function roleNames(config: PortalConfig, keys: string[]): string {
  return keys.map((key) => config.securityRoles.find((r) => r.key === key)?.name ?? key).join(", ");
}

/** Roles withdrawn from configuration since the request was made cannot be granted. */
function checkRolesStillExist(config: PortalConfig, keys: string[]): void {
  const missing = keys.filter((key) => !config.securityRoles.some((r) => r.key === key && r.audience === "provider"));
  if (missing.length > 0) {
    throw new AppError("refused", `roles no longer configured: ${missing.join(", ")}`, `The security role ${missing.join(", ")} no longer exists. Reject the request and ask for a new one.`);
  }
}

/** CC-6: the Lead correspondent is copied on the username message: the requesting authoriser and the organisation's Lead(s). */
async function leadCopies(ctx: ApplyContext): Promise<string[]> {
  const leads = await ctx.tx
    .select({ email: accounts.email })
    .from(accounts)
    .innerJoin(roleGrants, eq(roleGrants.accountId, accounts.id))
    .where(and(eq(accounts.organisationId, ctx.request.organisationId), eq(accounts.status, "active"), eq(roleGrants.roleKey, ctx.config.leadRoleKey)));
  const emails = leads.map((l) => l.email);
  if (ctx.payload.requester.as === "authoriser") emails.unshift(ctx.payload.requester.email);
  return [...new Set(emails)];
}

async function applyNewUser(ctx: ApplyContext, details: DetailsOf<"new_user">): Promise<ApplyResult> {
  const { tx, config, clock, request } = ctx;
  checkRolesStillExist(config, details.roleKeys);
  // CC-2a, again at the moment the licence is taken: accounts only, as this request is one of the open ones.
  const use = await licenceUse(tx, config, request.organisationId, licenceYear(clock.now()), { includeOpenRequests: false });
  if (!licenceAvailable(use)) {
    throw new AppError(
      "refused",
      `licences full (${use.used}/${use.allocation})`,
      `The organisation has no licences left for ${use.year} (all ${use.allocation} are in use), so the account cannot be created. Reject the request, or raise the allocation first.`,
    );
  }
  const account = await createProviderAccount({
    ...common(ctx),
    organisationId: request.organisationId,
    fullName: details.fullName,
    email: details.email,
    jobTitle: details.jobTitle,
    roleKeys: details.roleKeys,
    registrationBody: details.registrationBody,
    registrationNumber: details.registrationNumber,
    endDate: details.endDate,
    igTrainingDate: details.igTrainingDate,
  });
  await sendAccountSetup(tx, { config, clock, baseUrl: ctx.baseUrl }, account, { leadEmails: await leadCopies(ctx), requestId: request.id });
  return {
    subjectAccountId: account.id,
    outcome: { accountId: account.id, email: account.email, roles: details.roleKeys, status: "pending" },
    summary: [
      `An account has been set up for ${account.fullName} (${account.email}) with the security role ${roleNames(config, details.roleKeys)}.`,
      "They have been sent their username (you were copied) and, in a separate email, a link to choose their password and security number.",
    ].join("\n"),
  };
}

async function applyRoleChange(ctx: ApplyContext, details: DetailsOf<"role_change">): Promise<ApplyResult> {
  const { tx, config } = ctx;
  checkRolesStillExist(config, details.roleKeys);
  const account = await lockAccount(tx, details.subjectAccountId);
  if (account.status === "suspended") throw new AppError("refused", "subject suspended since the request", `${account.fullName}'s account has been suspended since the request was made. Reject the request.`);
  const registration = details.registrationBody || details.registrationNumber ? { body: details.registrationBody, number: details.registrationNumber } : undefined;
  const change = await changeAccountRoles({ ...common(ctx), accountId: account.id, roleKeys: details.roleKeys, registration });
  return {
    subjectAccountId: account.id,
    outcome: { accountId: account.id, before: change.before, after: change.after, sessionsEnded: change.sessionsEnded },
    summary: `${account.fullName}'s security role is now ${roleNames(config, change.after)} (it was ${roleNames(config, change.before)}). The change applies from their next page.`,
  };
}

async function applySuspension(ctx: ApplyContext, details: DetailsOf<"suspension">): Promise<ApplyResult> {
  const reason = `${suspensionReasonLabels[details.reason]}${details.reasonDetail ? `: ${details.reasonDetail}` : ""} (${formatReference(ctx.request.number)})`;
  const account = await lockAccount(ctx.tx, details.subjectAccountId);
  const result = await suspendAccount({ ...common(ctx), accountId: account.id, reason });
  return {
    subjectAccountId: account.id,
    outcome: { accountId: account.id, before: result.before, after: "suspended", reason: details.reason, sessionsEnded: result.sessionsEnded },
    summary: `${account.fullName}'s account has been suspended and they can no longer sign in. Accounts are never deleted: it can be reinstated on request.`,
  };
}

async function applyReinstatement(ctx: ApplyContext, details: DetailsOf<"reinstatement">): Promise<ApplyResult> {
  const account = await lockAccount(ctx.tx, details.subjectAccountId);
  const result = await reinstateAccount({ ...common(ctx), accountId: account.id, endDate: details.endDate });
  return {
    subjectAccountId: account.id,
    outcome: { accountId: account.id, before: "suspended", after: result.after, endDate: details.endDate },
    summary:
      result.after === "active"
        ? `${account.fullName}'s account has been reinstated: they can sign in again with their existing password and security number.`
        : `${account.fullName}'s account has been reinstated. They had not set it up yet: ask us for a new set-up link if theirs has expired.`,
  };
}

async function applyEndDateChange(ctx: ApplyContext, details: DetailsOf<"end_date_change">): Promise<ApplyResult> {
  const account = await lockAccount(ctx.tx, details.subjectAccountId);
  if (account.status === "suspended") throw new AppError("refused", "subject suspended since the request", `${account.fullName}'s account has been suspended since the request was made. Reject the request.`);
  const change = await changeAccountEndDate({ ...common(ctx), accountId: account.id, endDate: details.endDate });
  return {
    subjectAccountId: account.id,
    outcome: { accountId: account.id, before: change.before, after: change.after },
    summary: `${account.fullName}'s access now ends on ${details.endDate}; the account is suspended automatically on that date unless it is extended again.`,
  };
}

/**
 * UAP-A.3: the Lead role moves from the outgoing Lead(s) to the incoming one — only reached
 * once both confirmations are recorded (checked before approval). The outgoing Lead's account
 * is suspended, or keeps the roles asked for; the incoming one gets the Lead role, or a new
 * account holding it with its two set-up emails (CC-6).
 */
async function applyLeadChange(ctx: ApplyContext, details: DetailsOf<"lead_change">): Promise<ApplyResult> {
  const { tx, config, clock, request } = ctx;
  const leadKey = config.leadRoleKey;
  if (details.outgoingLead === "keep") checkRolesStillExist(config, details.outgoingRoleKeys);

  // The incoming Lead first, so an existing-account problem stops the change before anything moves.
  let incomingId: string;
  let incomingName: string;
  let created = false;
  if (details.newLead.kind === "existing") {
    const account = await lockAccount(tx, details.newLead.accountId);
    if (account.status === "suspended") throw new AppError("refused", "incoming lead suspended", `${account.fullName}'s account is suspended, so they cannot become the Lead correspondent.`);
    const roles = await rolesOf(tx, account.id);
    await changeAccountRoles({ ...common(ctx), accountId: account.id, roleKeys: [...roles, leadKey] });
    incomingId = account.id;
    incomingName = account.fullName;
  } else {
    const account = await createProviderAccount({
      ...common(ctx),
      organisationId: request.organisationId,
      fullName: details.newLead.fullName,
      email: details.newLead.email,
      jobTitle: details.newLead.jobTitle,
      roleKeys: [leadKey],
    });
    const copies = ctx.payload.requester.email !== account.email ? [ctx.payload.requester.email] : [];
    await sendAccountSetup(tx, { config, clock, baseUrl: ctx.baseUrl }, account, { leadEmails: copies, requestId: request.id });
    incomingId = account.id;
    incomingName = account.fullName;
    created = true;
  }

  const outgoing = await tx
    .select({ id: accounts.id, fullName: accounts.fullName, status: accounts.status })
    .from(accounts)
    .innerJoin(roleGrants, eq(roleGrants.accountId, accounts.id))
    .where(and(eq(accounts.organisationId, request.organisationId), eq(roleGrants.roleKey, leadKey), ne(accounts.id, incomingId)));
  for (const previous of outgoing) {
    if (details.outgoingLead === "keep") {
      await changeAccountRoles({ ...common(ctx), accountId: previous.id, roleKeys: details.outgoingRoleKeys });
    } else {
      if (previous.status !== "suspended") await suspendAccount({ ...common(ctx), accountId: previous.id, reason: `No longer the Lead correspondent (${formatReference(request.number)})` });
      await revokeAccountRole({ ...common(ctx), accountId: previous.id, roleKey: leadKey });
    }
  }
  const before = outgoing.map((o) => o.id);
  await recordAudit(tx, ctx.actor, clock, {
    action: "organisation.lead_changed",
    organisationId: request.organisationId,
    subjectAccountId: incomingId,
    requestId: request.id,
    detail: {
      before: { leadAccountIds: before },
      after: { leadAccountIds: [incomingId] },
      outgoing: details.outgoingLead,
      outgoingRoleKeys: details.outgoingRoleKeys,
      confirmations: ctx.payload.leadConfirmations ?? {},
    },
  });
  const outgoingNames = outgoing.map((o) => o.fullName).join(", ");
  return {
    subjectAccountId: incomingId,
    outcome: { incomingAccountId: incomingId, created, outgoingAccountIds: before, outgoing: details.outgoingLead, leadAccountIds: [incomingId] },
    summary: [
      `${incomingName} is now the Lead correspondent${outgoingNames ? ` in place of ${outgoingNames}` : ""}.`,
      created ? `An account has been set up for ${incomingName}; they have been sent their username and, separately, a link to finish setting it up.` : "",
      outgoingNames ? (details.outgoingLead === "suspend" ? `${outgoingNames}'s account has been suspended.` : `${outgoingNames} keeps an account with the security role ${roleNames(config, details.outgoingRoleKeys)}.`) : "",
    ]
      .filter(Boolean)
      .join("\n"),
  };
}
