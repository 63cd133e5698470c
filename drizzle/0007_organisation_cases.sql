CREATE SEQUENCE "public"."organisation_case_number_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1;--> statement-breakpoint
CREATE TABLE "organisation_case_actions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"case_id" uuid NOT NULL,
	"organisation_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"effective_date" date NOT NULL,
	"status" text DEFAULT 'scheduled' NOT NULL,
	"full_name" text,
	"email" text,
	"job_title" text,
	"role_key" text,
	"account_id" uuid,
	"result" jsonb,
	"error" text,
	"done_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "organisation_case_actions_kind_check" CHECK ("organisation_case_actions"."kind" in ('suspend_accounts', 'create_account')),
	CONSTRAINT "organisation_case_actions_status_check" CHECK ("organisation_case_actions"."status" in ('scheduled', 'done', 'failed')),
	CONSTRAINT "organisation_case_actions_person_check" CHECK ("organisation_case_actions"."kind" <> 'create_account' or ("organisation_case_actions"."full_name" is not null and "organisation_case_actions"."email" is not null and "organisation_case_actions"."role_key" is not null))
);
--> statement-breakpoint
CREATE TABLE "organisation_cases" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"number" bigint DEFAULT nextval('organisation_case_number_seq') NOT NULL,
	"organisation_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"mode" text NOT NULL,
	"status" text DEFAULT 'open' NOT NULL,
	"summary" text NOT NULL,
	"channel" text NOT NULL,
	"notified_by" text NOT NULL,
	"notified_via" text NOT NULL,
	"notified_at" timestamp with time zone NOT NULL,
	"effective_date" date NOT NULL,
	"told" jsonb,
	"organisation_status_before" text NOT NULL,
	"opened_by_id" uuid,
	"opened_by_label" text NOT NULL,
	"confirmed_by_name" text,
	"confirmed_by_role" text,
	"confirmed_on" date,
	"confirmation_note" text,
	"confirmation_recorded_by_id" uuid,
	"confirmation_recorded_at" timestamp with time zone,
	"care_packages_checked_at" timestamp with time zone,
	"care_packages_checked_by_id" uuid,
	"care_packages_note" text,
	"closed_at" timestamp with time zone,
	"closed_by_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "organisation_cases_kind_check" CHECK ("organisation_cases"."kind" in ('closure', 'administration', 'change_of_ownership')),
	CONSTRAINT "organisation_cases_mode_check" CHECK ("organisation_cases"."mode" in ('sudden', 'planned')),
	CONSTRAINT "organisation_cases_status_check" CHECK ("organisation_cases"."status" in ('open', 'closed')),
	CONSTRAINT "organisation_cases_confirmed_role_check" CHECK ("organisation_cases"."confirmed_by_role" is null or "organisation_cases"."confirmed_by_role" in ('registered_manager', 'appointed_administrator')),
	CONSTRAINT "organisation_cases_close_check" CHECK ("organisation_cases"."status" <> 'closed' or ("organisation_cases"."confirmed_by_name" is not null and "organisation_cases"."confirmed_by_role" is not null and "organisation_cases"."confirmed_on" is not null and "organisation_cases"."care_packages_checked_at" is not null and "organisation_cases"."closed_at" is not null))
);
--> statement-breakpoint
ALTER TABLE "organisation_case_actions" ADD CONSTRAINT "organisation_case_actions_case_id_organisation_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."organisation_cases"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "organisation_case_actions" ADD CONSTRAINT "organisation_case_actions_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "organisation_case_actions" ADD CONSTRAINT "organisation_case_actions_account_id_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."accounts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "organisation_cases" ADD CONSTRAINT "organisation_cases_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "organisation_cases" ADD CONSTRAINT "organisation_cases_opened_by_id_accounts_id_fk" FOREIGN KEY ("opened_by_id") REFERENCES "public"."accounts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "organisation_cases" ADD CONSTRAINT "organisation_cases_confirmation_recorded_by_id_accounts_id_fk" FOREIGN KEY ("confirmation_recorded_by_id") REFERENCES "public"."accounts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "organisation_cases" ADD CONSTRAINT "organisation_cases_care_packages_checked_by_id_accounts_id_fk" FOREIGN KEY ("care_packages_checked_by_id") REFERENCES "public"."accounts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "organisation_cases" ADD CONSTRAINT "organisation_cases_closed_by_id_accounts_id_fk" FOREIGN KEY ("closed_by_id") REFERENCES "public"."accounts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "organisation_case_actions_due_idx" ON "organisation_case_actions" USING btree ("effective_date") WHERE "organisation_case_actions"."status" = 'scheduled';--> statement-breakpoint
CREATE INDEX "organisation_case_actions_case_idx" ON "organisation_case_actions" USING btree ("case_id");--> statement-breakpoint
CREATE UNIQUE INDEX "organisation_case_actions_email_key" ON "organisation_case_actions" USING btree ("case_id",lower("email")) WHERE "organisation_case_actions"."kind" = 'create_account';--> statement-breakpoint
CREATE UNIQUE INDEX "organisation_cases_number_key" ON "organisation_cases" USING btree ("number");--> statement-breakpoint
CREATE UNIQUE INDEX "organisation_cases_one_open_key" ON "organisation_cases" USING btree ("organisation_id") WHERE "organisation_cases"."status" = 'open';--> statement-breakpoint
CREATE INDEX "organisation_cases_organisation_idx" ON "organisation_cases" USING btree ("organisation_id","created_at");--> statement-breakpoint
-- A case is part of the official record (UAP-A.7): it closes, it is never deleted.
CREATE TRIGGER organisation_cases_never_deleted BEFORE DELETE ON organisation_cases
  FOR EACH ROW EXECUTE FUNCTION portal_refuse_change('organisation cases are closed, never deleted');
--> statement-breakpoint
CREATE TRIGGER organisation_case_actions_never_deleted BEFORE DELETE ON organisation_case_actions
  FOR EACH ROW EXECUTE FUNCTION portal_refuse_change('scheduled changes are kept with their case');
