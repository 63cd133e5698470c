import { and, eq, inArray, sql } from "drizzle-orm";
import type { Actor } from "../audit/events";
import type { PortalConfig } from "../config";
import { accounts, roleGrants } from "../db/schema/accounts";
import { organisations } from "../db/schema/organisations";
import { requests } from "../db/schema/requests";
import type { Executor } from "../db/types";
import { AppError } from "../errors";
import { formatReference, openStatuses } from "./rules";

/**
 * The database checks of a new-user request, for many people at once: who may ask (CC-4,
 * AUP-6.3), which addresses already have an account (UAP-2.2) and which already have an open
 * request (the duplicate rule). `submitRequest` makes the same checks one request at a time
 * and stays the authority — a bulk import (UCP-BULK-1) uses these to report on every row
 * before anything is submitted, then submits each row through `submitRequest`. The wording
 * of the refusals is submitRequest's, so a person reads the same sentence either way.
 */

/** Addresses per query (compared in the form they are stored in: trimmed, lower case). */
const CHUNK = 1_000;

function chunks<T>(items: T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += CHUNK) out.push(items.slice(i, i + CHUNK));
  return out;
}

export interface NewUserRequester {
  accountId: string;
  fullName: string;
  email: string;
}

export interface RequestingOrganisation {
  id: string;
  name: string;
  odsCode: string;
}

/**
 * CC-4 / AUP-6.3: the actor is an active authoriser (e.g. the Lead correspondent) of the
 * organisation, and the organisation is an active provider. Throws the AppError submitRequest
 * would: "forbidden" for anyone else, "not_found" for no such provider, "refused" when it is
 * not active.
 */
export async function checkNewUserRequester(db: Executor, config: PortalConfig, actor: Actor, organisationId: string): Promise<{ requester: NewUserRequester; organisation: RequestingOrganisation }> {
  const [account] = actor.accountId ? await db.select().from(accounts).where(eq(accounts.id, actor.accountId)) : [];
  if (!account || account.audience !== "provider" || account.status !== "active" || account.organisationId !== organisationId) throw notAuthoriser();
  const roles = (await db.select({ roleKey: roleGrants.roleKey }).from(roleGrants).where(eq(roleGrants.accountId, account.id))).map((r) => r.roleKey);
  const authoriser = roles.some((key) => config.securityRoles.some((r) => r.key === key && r.audience === "provider" && r.authoriser));
  if (!authoriser) throw notAuthoriser();

  const [organisation] = await db.select().from(organisations).where(eq(organisations.id, organisationId));
  if (!organisation || organisation.kind !== "provider") throw new AppError("not_found", `organisation ${organisationId} not found`, "The organisation could not be found.");
  if (organisation.status !== "active") {
    throw new AppError("refused", `organisation ${organisation.odsCode} is ${organisation.status}`, `${organisation.name} is not active in the portal, so account requests cannot be made for it.`);
  }
  return {
    requester: { accountId: account.id, fullName: account.fullName, email: account.email },
    organisation: { id: organisation.id, name: organisation.name, odsCode: organisation.odsCode },
  };
}

function notAuthoriser(): AppError {
  return new AppError(
    "forbidden",
    "requester is not an authoriser of the organisation",
    "Only your organisation's Lead correspondent (or another authoriser) can ask for accounts to be created, changed or suspended.",
  );
}

/** UAP-2.2: which of these (normalised) addresses already have an account, in any organisation, and its status. */
export async function existingAccountsByEmail(db: Executor, emails: string[]): Promise<Map<string, { status: string }>> {
  const found = new Map<string, { status: string }>();
  for (const part of chunks([...new Set(emails)])) {
    const rows = await db
      .select({ email: sql<string>`lower(${accounts.email})`, status: accounts.status })
      .from(accounts)
      .where(inArray(sql`lower(${accounts.email})`, part));
    for (const row of rows) found.set(row.email, { status: row.status });
  }
  return found;
}

/** The sentence submitRequest refuses an address with when it already has an account. */
export function existingAccountMessage(email: string, status: string): string {
  return status === "suspended"
    ? `${email} already has an account, which is suspended. Ask for that account to be reinstated instead`
    : `${email} already has an account. Each person has one account: ask for a role change instead if they need different access`;
}

/**
 * Which of these (normalised) addresses already have an open request of the organisation for a
 * new user or a new Lead correspondent, and that request's number.
 */
export async function openRequestsByEmail(db: Executor, organisationId: string, emails: string[]): Promise<Map<string, number>> {
  const found = new Map<string, number>();
  const open = and(eq(requests.organisationId, organisationId), inArray(requests.status, [...openStatuses]), inArray(requests.type, ["new_user", "lead_change"]));
  const newUserEmail = sql<string>`${requests.payload} -> 'details' ->> 'email'`;
  const newLeadEmail = sql<string>`${requests.payload} -> 'details' -> 'newLead' ->> 'email'`;
  for (const part of chunks([...new Set(emails)])) {
    const rows = await db
      .select({ number: requests.number, email: newUserEmail, leadEmail: newLeadEmail })
      .from(requests)
      .where(and(open, sql`(${inArray(newUserEmail, part)} or ${inArray(newLeadEmail, part)})`));
    const wanted = new Set(part);
    for (const row of rows) {
      for (const email of [row.email, row.leadEmail]) if (email && wanted.has(email) && !found.has(email)) found.set(email, row.number);
    }
  }
  return found;
}

/** The sentence submitRequest refuses a duplicate with. */
export function openRequestMessage(number: number): string {
  return `${formatReference(number)} already asks for this and is still open. Wait for it to be actioned, or quote its reference to ask about it`;
}
