import { and, eq, sql } from "drizzle-orm";
import { recordAudit } from "../audit/record-audit";
import { accounts } from "../db/schema/accounts";
import { organisationCaseActions, organisationCases } from "../db/schema/organisation-cases";
import { organisations } from "../db/schema/organisations";
import { AppError } from "../errors";
import { enqueueMessage } from "../mail/enqueue-message";
import { leadCorrespondentEmails } from "./licence-alert";
import { accessSuspendedEmail } from "./messages";
import { canOpenCase, caseKindLabels, formatCaseReference, statusWhenCaseOpens, type CaseKind, type CaseMode, type OrganisationStatus } from "./rules";
import { openCaseInputSchema, parseInput } from "./schema";
import { lockOrganisation, requireOrganisationStaff, serviceToday, type OrganisationStaffOptions } from "./staff";
import { suspendOrganisationAccounts } from "./suspend-organisation-accounts";

export interface OpenedCase {
  caseId: string;
  number: number;
  reference: string;
  kind: CaseKind;
  mode: CaseMode;
  organisationStatus: { before: OrganisationStatus; after: OrganisationStatus };
  /** Sudden: the accounts suspended now and the sessions ended. */
  suspended: number;
  sessionsEnded: number;
  /** Whom the portal emailed about the suspension (sudden). */
  told: string[];
  /** Planned: the changes scheduled for the effective date. */
  scheduled: number;
}

/**
 * UAP-A.7: staff open one case for a provider's closure, administration or change of
 * ownership, recording the notification (who told us, how, when).
 *
 * Sudden (UAP-5.3): in the same transaction every account of the organisation is suspended,
 * all their sessions end, the organisation becomes closed or closing, its Lead
 * correspondent(s) are told by email (recorded on the case), and each change is audited.
 *
 * Planned (UAP-5.2): the suspension of the existing accounts and the accounts for a new owner
 * are scheduled for the effective date (organisation_case_actions), which
 * runScheduledOrganisationChanges carries out on that day.
 */
export async function openOrganisationCase(options: OrganisationStaffOptions & { organisationId: string; input: Record<string, unknown> }): Promise<OpenedCase> {
  const { db, actor, clock, config, viewer } = options;
  requireOrganisationStaff(viewer, actor);
  const today = serviceToday(config, clock);
  const input = parseInput(openCaseInputSchema({ config, today }), options.input, "There is a problem with the case");

  return db.transaction(async (tx) => {
    const organisation = await lockOrganisation(tx, options.organisationId);
    const allowed = canOpenCase(organisation.status);
    if (!allowed.ok) throw new AppError("refused", `organisation ${organisation.odsCode}: ${allowed.reason}`, `${allowed.reason}.`);
    const [open] = await tx
      .select({ number: organisationCases.number })
      .from(organisationCases)
      .where(and(eq(organisationCases.organisationId, organisation.id), eq(organisationCases.status, "open")))
      .limit(1);
    if (open) {
      throw new AppError(
        "conflict",
        `organisation ${organisation.odsCode} already has an open case`,
        `${formatCaseReference(open.number)} is already open for ${organisation.name}: record this change on it, or close it first.`,
      );
    }

    // A new owner's people must not already have accounts (UAP-2.2: one account per email).
    const fieldErrors: Record<string, string> = {};
    for (const [i, person] of input.newAccounts.entries()) {
      const [taken] = await tx.select({ id: accounts.id }).from(accounts).where(sql`lower(${accounts.email}) = ${person.email}`).limit(1);
      if (taken) fieldErrors[`newAccounts.${i}.email`] = `${person.email} already has an account. Each person has one account`;
    }
    if (Object.keys(fieldErrors).length > 0) throw new AppError("refused", "new-owner email already has an account", "There is a problem with the case", fieldErrors);

    const now = clock.now();
    const statusAfter = statusWhenCaseOpens(input.kind, input.mode, organisation.status);
    const [kase] = await tx
      .insert(organisationCases)
      .values({
        organisationId: organisation.id,
        kind: input.kind,
        mode: input.mode,
        status: "open",
        summary: input.summary,
        channel: actor.channel,
        notifiedBy: input.notifiedBy,
        notifiedVia: input.notifiedVia,
        notifiedAt: input.notifiedAt,
        effectiveDate: input.effectiveDate,
        organisationStatusBefore: organisation.status,
        openedById: actor.accountId,
        openedByLabel: actor.label,
        createdAt: now,
        updatedAt: now,
      })
      .returning();
    const caseRow = kase!;
    const reference = formatCaseReference(caseRow.number);

    let suspended = 0;
    let sessionsEnded = 0;
    let told: string[] = [];
    let scheduled = 0;
    if (input.mode === "sudden") {
      // Who to tell, read before their accounts are suspended.
      told = await leadCorrespondentEmails(tx, config, organisation.id);
      const result = await suspendOrganisationAccounts({
        tx,
        actor,
        clock,
        organisationId: organisation.id,
        caseId: caseRow.id,
        reason: `${caseKindLabels[input.kind]} of ${organisation.name} (${reference})`,
      });
      suspended = result.accounts.length;
      sessionsEnded = result.sessionsEnded;
      if (told.length > 0) await enqueueMessage(tx, accessSuspendedEmail(config, organisation, { id: caseRow.id, number: caseRow.number, kind: input.kind }, told));
      await tx
        .update(organisationCases)
        .set({ told: { to: told, cc: [config.operator.mailbox], at: now.toISOString(), suspended, sessionsEnded } })
        .where(eq(organisationCases.id, caseRow.id));
    } else {
      const rows: (typeof organisationCaseActions.$inferInsert)[] = [];
      if (input.suspendExisting) rows.push({ caseId: caseRow.id, organisationId: organisation.id, kind: "suspend_accounts", effectiveDate: input.effectiveDate, createdAt: now, updatedAt: now });
      for (const person of input.newAccounts) {
        rows.push({
          caseId: caseRow.id,
          organisationId: organisation.id,
          kind: "create_account",
          effectiveDate: input.effectiveDate,
          fullName: person.fullName,
          email: person.email,
          jobTitle: person.jobTitle,
          roleKey: person.roleKey,
          createdAt: now,
          updatedAt: now,
        });
      }
      if (rows.length > 0) await tx.insert(organisationCaseActions).values(rows);
      scheduled = rows.length;
    }
    if (statusAfter !== organisation.status) {
      await tx.update(organisations).set({ status: statusAfter, updatedAt: now }).where(eq(organisations.id, organisation.id));
    }

    await recordAudit(tx, actor, clock, {
      action: "organisation.case_opened",
      organisationId: organisation.id,
      detail: {
        caseId: caseRow.id,
        reference,
        kind: input.kind,
        mode: input.mode,
        summary: input.summary,
        notification: { notifiedBy: input.notifiedBy, notifiedVia: input.notifiedVia, notifiedAt: input.notifiedAt.toISOString() },
        effectiveDate: input.effectiveDate,
        before: { status: organisation.status },
        after: { status: statusAfter },
        ...(input.mode === "sudden"
          ? { suspended, sessionsEnded, told }
          : { scheduled: { suspendExisting: input.suspendExisting, newAccounts: input.newAccounts.map((p) => ({ fullName: p.fullName, email: p.email, roleKey: p.roleKey })) } }),
      },
    });

    return {
      caseId: caseRow.id,
      number: caseRow.number,
      reference,
      kind: input.kind,
      mode: input.mode,
      organisationStatus: { before: organisation.status, after: statusAfter },
      suspended,
      sessionsEnded,
      told,
      scheduled,
    };
  });
}
