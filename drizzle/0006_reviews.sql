CREATE TABLE "access_review_items" (
	"review_id" uuid NOT NULL,
	"account_id" uuid NOT NULL,
	"full_name" text NOT NULL,
	"email" text NOT NULL,
	"job_title" text,
	"status" text NOT NULL,
	"role_keys" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"last_sign_in_at" timestamp with time zone,
	"ig_training_date" date,
	"end_date" date,
	"decision" text,
	"decision_detail" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"decided_at" timestamp with time zone,
	"decided_by_id" uuid,
	"decided_by_label" text,
	"request_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "access_review_items_review_id_account_id_pk" PRIMARY KEY("review_id","account_id"),
	CONSTRAINT "access_review_items_decision_check" CHECK ("access_review_items"."decision" is null or "access_review_items"."decision" in ('keep', 'change_role', 'suspend')),
	CONSTRAINT "access_review_items_request_check" CHECK ("access_review_items"."request_id" is null or "access_review_items"."decision" in ('change_role', 'suspend'))
);
--> statement-breakpoint
CREATE TABLE "access_reviews" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"organisation_id" uuid NOT NULL,
	"period_start" date NOT NULL,
	"period_end" date NOT NULL,
	"due_on" date NOT NULL,
	"opened_at" timestamp with time zone NOT NULL,
	"signed_off_at" timestamp with time zone,
	"signed_off_by_id" uuid,
	"signed_off_by_label" text,
	"last_reminder_days" integer,
	"last_reminder_at" timestamp with time zone,
	"escalated_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "access_reviews_period_check" CHECK ("access_reviews"."period_start" <= "access_reviews"."period_end" and "access_reviews"."period_start" <= "access_reviews"."due_on")
);
--> statement-breakpoint
ALTER TABLE "access_review_items" ADD CONSTRAINT "access_review_items_review_id_access_reviews_id_fk" FOREIGN KEY ("review_id") REFERENCES "public"."access_reviews"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "access_review_items" ADD CONSTRAINT "access_review_items_account_id_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."accounts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "access_review_items" ADD CONSTRAINT "access_review_items_decided_by_id_accounts_id_fk" FOREIGN KEY ("decided_by_id") REFERENCES "public"."accounts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "access_review_items" ADD CONSTRAINT "access_review_items_request_id_requests_id_fk" FOREIGN KEY ("request_id") REFERENCES "public"."requests"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "access_reviews" ADD CONSTRAINT "access_reviews_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "access_reviews" ADD CONSTRAINT "access_reviews_signed_off_by_id_accounts_id_fk" FOREIGN KEY ("signed_off_by_id") REFERENCES "public"."accounts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "access_review_items_account_idx" ON "access_review_items" USING btree ("account_id");--> statement-breakpoint
CREATE UNIQUE INDEX "access_reviews_period_key" ON "access_reviews" USING btree ("organisation_id","period_start");--> statement-breakpoint
CREATE INDEX "access_reviews_open_idx" ON "access_reviews" USING btree ("due_on") WHERE "access_reviews"."signed_off_at" is null;