CREATE SEQUENCE "public"."contract_number_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1;--> statement-breakpoint
CREATE SEQUENCE "public"."query_number_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1;--> statement-breakpoint
CREATE TABLE "organisation_contact_changes" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"seq" integer GENERATED ALWAYS AS IDENTITY (sequence name "organisation_contact_changes_seq_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"contact_id" uuid NOT NULL,
	"organisation_id" uuid NOT NULL,
	"change" text NOT NULL,
	"fields" jsonb NOT NULL,
	"actor_id" uuid,
	"actor_label" text NOT NULL,
	"channel" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "organisation_contacts" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"organisation_id" uuid NOT NULL,
	"role" text NOT NULL,
	"role_label" text,
	"full_name" text NOT NULL,
	"job_title" text,
	"email" text,
	"phone" text,
	"availability" text,
	"removed_at" timestamp with time zone,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "organisation_contacts_role_check" CHECK ("organisation_contacts"."role" in ('registered_manager','nominated_individual','finance','out_of_hours','safeguarding','data_protection','other'))
);
--> statement-breakpoint
CREATE TABLE "contract_signing_challenges" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"contract_id" uuid NOT NULL,
	"account_id" uuid NOT NULL,
	"positions" integer[] NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"ended_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "contracts" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"number" bigint DEFAULT nextval('contract_number_seq') NOT NULL,
	"organisation_id" uuid NOT NULL,
	"care_package_id" uuid NOT NULL,
	"title" text NOT NULL,
	"status" text DEFAULT 'published' NOT NULL,
	"file_name" text NOT NULL,
	"document" "bytea" NOT NULL,
	"document_bytes" integer NOT NULL,
	"document_sha256" text NOT NULL,
	"published_by_id" uuid,
	"published_by_label" text NOT NULL,
	"published_at" timestamp with time zone NOT NULL,
	"signed_by_id" uuid,
	"signed_name" text,
	"signed_at" timestamp with time zone,
	"signed_client_address" text,
	"signed_user_agent" text,
	"signed_sha256" text,
	"withdrawn_at" timestamp with time zone,
	"withdrawn_reason" text,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "contracts_status_check" CHECK ("contracts"."status" in ('published','signed','withdrawn')),
	CONSTRAINT "contracts_sha256_check" CHECK ("contracts"."document_sha256" ~ '^[0-9a-f]{64}$'),
	CONSTRAINT "contracts_signature_check" CHECK ("contracts"."status" <> 'signed' or ("contracts"."signed_by_id" is not null and "contracts"."signed_name" is not null and "contracts"."signed_at" is not null and "contracts"."signed_sha256" = "contracts"."document_sha256"))
);
--> statement-breakpoint
CREATE TABLE "query_messages" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"seq" integer GENERATED ALWAYS AS IDENTITY (sequence name "query_messages_seq_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"thread_id" uuid NOT NULL,
	"side" text NOT NULL,
	"author_id" uuid,
	"author_label" text NOT NULL,
	"channel" text NOT NULL,
	"body" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "query_messages_side_check" CHECK ("query_messages"."side" in ('provider','operator'))
);
--> statement-breakpoint
CREATE TABLE "query_threads" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"number" bigint DEFAULT nextval('query_number_seq') NOT NULL,
	"organisation_id" uuid NOT NULL,
	"topic" text NOT NULL,
	"individual_id" uuid,
	"payment_id" uuid,
	"subject" text NOT NULL,
	"status" text DEFAULT 'awaiting_operator' NOT NULL,
	"opened_by_id" uuid,
	"opened_by_label" text NOT NULL,
	"last_message_at" timestamp with time zone NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "query_threads_topic_check" CHECK ("query_threads"."topic" in ('individual','payment','operator')),
	CONSTRAINT "query_threads_status_check" CHECK ("query_threads"."status" in ('awaiting_operator','awaiting_provider','closed')),
	CONSTRAINT "query_threads_subject_check" CHECK (("query_threads"."topic" = 'individual' and "query_threads"."individual_id" is not null) or ("query_threads"."topic" = 'payment' and "query_threads"."payment_id" is not null) or "query_threads"."topic" = 'operator')
);
--> statement-breakpoint
ALTER TABLE "organisation_contact_changes" ADD CONSTRAINT "organisation_contact_changes_contact_id_organisation_contacts_id_fk" FOREIGN KEY ("contact_id") REFERENCES "public"."organisation_contacts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "organisation_contact_changes" ADD CONSTRAINT "organisation_contact_changes_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "organisation_contact_changes" ADD CONSTRAINT "organisation_contact_changes_actor_id_accounts_id_fk" FOREIGN KEY ("actor_id") REFERENCES "public"."accounts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "organisation_contacts" ADD CONSTRAINT "organisation_contacts_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "contract_signing_challenges" ADD CONSTRAINT "contract_signing_challenges_contract_id_contracts_id_fk" FOREIGN KEY ("contract_id") REFERENCES "public"."contracts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "contract_signing_challenges" ADD CONSTRAINT "contract_signing_challenges_account_id_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."accounts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "contracts" ADD CONSTRAINT "contracts_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "contracts" ADD CONSTRAINT "contracts_care_package_id_care_packages_id_fk" FOREIGN KEY ("care_package_id") REFERENCES "public"."care_packages"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "contracts" ADD CONSTRAINT "contracts_published_by_id_accounts_id_fk" FOREIGN KEY ("published_by_id") REFERENCES "public"."accounts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "contracts" ADD CONSTRAINT "contracts_signed_by_id_accounts_id_fk" FOREIGN KEY ("signed_by_id") REFERENCES "public"."accounts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "query_messages" ADD CONSTRAINT "query_messages_thread_id_query_threads_id_fk" FOREIGN KEY ("thread_id") REFERENCES "public"."query_threads"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "query_messages" ADD CONSTRAINT "query_messages_author_id_accounts_id_fk" FOREIGN KEY ("author_id") REFERENCES "public"."accounts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "query_threads" ADD CONSTRAINT "query_threads_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "query_threads" ADD CONSTRAINT "query_threads_individual_id_individuals_id_fk" FOREIGN KEY ("individual_id") REFERENCES "public"."individuals"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "query_threads" ADD CONSTRAINT "query_threads_payment_id_payments_id_fk" FOREIGN KEY ("payment_id") REFERENCES "public"."payments"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "query_threads" ADD CONSTRAINT "query_threads_opened_by_id_accounts_id_fk" FOREIGN KEY ("opened_by_id") REFERENCES "public"."accounts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "organisation_contact_changes_organisation_idx" ON "organisation_contact_changes" USING btree ("organisation_id","seq");--> statement-breakpoint
CREATE INDEX "organisation_contacts_organisation_idx" ON "organisation_contacts" USING btree ("organisation_id","role");--> statement-breakpoint
CREATE INDEX "contract_signing_challenges_contract_idx" ON "contract_signing_challenges" USING btree ("contract_id","account_id");--> statement-breakpoint
CREATE UNIQUE INDEX "contracts_number_key" ON "contracts" USING btree ("number");--> statement-breakpoint
CREATE INDEX "contracts_organisation_idx" ON "contracts" USING btree ("organisation_id","status","published_at");--> statement-breakpoint
CREATE INDEX "contracts_care_package_idx" ON "contracts" USING btree ("care_package_id");--> statement-breakpoint
CREATE INDEX "contracts_status_idx" ON "contracts" USING btree ("status","published_at");--> statement-breakpoint
CREATE INDEX "query_messages_thread_idx" ON "query_messages" USING btree ("thread_id","seq");--> statement-breakpoint
CREATE UNIQUE INDEX "query_threads_number_key" ON "query_threads" USING btree ("number");--> statement-breakpoint
CREATE INDEX "query_threads_organisation_idx" ON "query_threads" USING btree ("organisation_id","last_message_at");--> statement-breakpoint
CREATE INDEX "query_threads_queue_idx" ON "query_threads" USING btree ("status","last_message_at");