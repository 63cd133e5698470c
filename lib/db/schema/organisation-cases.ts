import { sql } from "drizzle-orm";
import { bigint, check, date, index, jsonb, pgSequence, pgTable, text, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { accounts } from "./accounts";
import { at, createdAt, updatedAt } from "./columns";
import { organisations } from "./organisations";
import { channels } from "./requests";

export const organisationCaseKinds = ["closure", "administration", "change_of_ownership"] as const;
export const organisationCaseModes = ["sudden", "planned"] as const;
export const organisationCaseStatuses = ["open", "closed"] as const;
/** Who may confirm a case in writing (UAP-A.7). */
export const caseAuthorityRoles = ["registered_manager", "appointed_administrator"] as const;
export const organisationCaseActionKinds = ["suspend_accounts", "create_account"] as const;
export const organisationCaseActionStatuses = ["scheduled", "done", "failed"] as const;

/** Case references (CASE-000012) come from one sequence. */
export const organisationCaseNumberSeq = pgSequence("organisation_case_number_seq", { startWith: 1 });

/**
 * A provider's closure, administration or change of ownership handled as one case (UAP-A.7,
 * UAP-5.2, UAP-5.3). A case closes only with the written confirmation of someone with authority
 * and the care-packages check ticked: the database refuses a closed case without them.
 */
export const organisationCases = pgTable(
  "organisation_cases",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    number: bigint("number", { mode: "number" })
      .notNull()
      .default(sql`nextval('organisation_case_number_seq')`),
    organisationId: uuid("organisation_id")
      .notNull()
      .references(() => organisations.id),
    kind: text("kind", { enum: organisationCaseKinds }).notNull(),
    mode: text("mode", { enum: organisationCaseModes }).notNull(),
    status: text("status", { enum: organisationCaseStatuses }).notNull().default("open"),
    summary: text("summary").notNull(),
    /** How the change reached the operator (portal, email …), as the requests record it. */
    channel: text("channel", { enum: channels }).notNull(),
    /** The notification: who told the operator, how and when (UAP-5.3). */
    notifiedBy: text("notified_by").notNull(),
    notifiedVia: text("notified_via").notNull(),
    notifiedAt: at("notified_at").notNull(),
    /** The day the change takes effect: today for a sudden case, the scheduled day for a planned one. */
    effectiveDate: date("effective_date", { mode: "string" }).notNull(),
    /** Whom the portal told of the suspension, and when ({ to: string[], at: ISO }). */
    told: jsonb("told").$type<Record<string, unknown>>(),
    /** The organisation's status before the case changed it, for the record. */
    organisationStatusBefore: text("organisation_status_before").notNull(),
    openedById: uuid("opened_by_id").references(() => accounts.id),
    openedByLabel: text("opened_by_label").notNull(),
    /** Written confirmation from someone with authority (UAP-A.7). */
    confirmedByName: text("confirmed_by_name"),
    confirmedByRole: text("confirmed_by_role", { enum: caseAuthorityRoles }),
    confirmedOn: date("confirmed_on", { mode: "string" }),
    confirmationNote: text("confirmation_note"),
    confirmationRecordedById: uuid("confirmation_recorded_by_id").references(() => accounts.id),
    confirmationRecordedAt: at("confirmation_recorded_at"),
    /** Checklist: providers who took over care packages can see what they need. */
    carePackagesCheckedAt: at("care_packages_checked_at"),
    carePackagesCheckedById: uuid("care_packages_checked_by_id").references(() => accounts.id),
    carePackagesNote: text("care_packages_note"),
    closedAt: at("closed_at"),
    closedById: uuid("closed_by_id").references(() => accounts.id),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex("organisation_cases_number_key").on(t.number),
    /** One open case per organisation: a second notification joins the case already open. */
    uniqueIndex("organisation_cases_one_open_key").on(t.organisationId).where(sql`${t.status} = 'open'`),
    index("organisation_cases_organisation_idx").on(t.organisationId, t.createdAt),
    check("organisation_cases_kind_check", sql`${t.kind} in ('closure', 'administration', 'change_of_ownership')`),
    check("organisation_cases_mode_check", sql`${t.mode} in ('sudden', 'planned')`),
    check("organisation_cases_status_check", sql`${t.status} in ('open', 'closed')`),
    check(
      "organisation_cases_confirmed_role_check",
      sql`${t.confirmedByRole} is null or ${t.confirmedByRole} in ('registered_manager', 'appointed_administrator')`,
    ),
    check(
      "organisation_cases_close_check",
      sql`${t.status} <> 'closed' or (${t.confirmedByName} is not null and ${t.confirmedByRole} is not null and ${t.confirmedOn} is not null and ${t.carePackagesCheckedAt} is not null and ${t.closedAt} is not null)`,
    ),
  ],
);

/**
 * A planned case's scheduled changes (UAP-5.2): suspend the organisation's existing accounts,
 * or create one account for a new owner, on the effective date. Run once by
 * runScheduledOrganisationChanges (a job): scheduled → done | failed.
 */
export const organisationCaseActions = pgTable(
  "organisation_case_actions",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    caseId: uuid("case_id")
      .notNull()
      .references(() => organisationCases.id),
    organisationId: uuid("organisation_id")
      .notNull()
      .references(() => organisations.id),
    kind: text("kind", { enum: organisationCaseActionKinds }).notNull(),
    effectiveDate: date("effective_date", { mode: "string" }).notNull(),
    status: text("status", { enum: organisationCaseActionStatuses }).notNull().default("scheduled"),
    /** For create_account: the new person's name, email, job title and security role. */
    fullName: text("full_name"),
    email: text("email"),
    jobTitle: text("job_title"),
    roleKey: text("role_key"),
    /** The account created (create_account). */
    accountId: uuid("account_id").references(() => accounts.id),
    /** What the run did: accounts suspended, sessions ended … */
    result: jsonb("result").$type<Record<string, unknown>>(),
    error: text("error"),
    doneAt: at("done_at"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    index("organisation_case_actions_due_idx").on(t.effectiveDate).where(sql`${t.status} = 'scheduled'`),
    index("organisation_case_actions_case_idx").on(t.caseId),
    uniqueIndex("organisation_case_actions_email_key").on(t.caseId, sql`lower(${t.email})`).where(sql`${t.kind} = 'create_account'`),
    check("organisation_case_actions_kind_check", sql`${t.kind} in ('suspend_accounts', 'create_account')`),
    check("organisation_case_actions_status_check", sql`${t.status} in ('scheduled', 'done', 'failed')`),
    check(
      "organisation_case_actions_person_check",
      sql`${t.kind} <> 'create_account' or (${t.fullName} is not null and ${t.email} is not null and ${t.roleKey} is not null)`,
    ),
  ],
);
