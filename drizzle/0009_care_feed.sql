CREATE TABLE "care_packages" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"source_id" text NOT NULL,
	"organisation_id" uuid NOT NULL,
	"individual_id" uuid NOT NULL,
	"service" text NOT NULL,
	"start_date" date NOT NULL,
	"end_date" date,
	"status" text DEFAULT 'active' NOT NULL,
	"payments_visible" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "care_packages_status_check" CHECK ("care_packages"."status" in ('active', 'ended')),
	CONSTRAINT "care_packages_dates_check" CHECK ("care_packages"."end_date" is null or "care_packages"."end_date" >= "care_packages"."start_date")
);
--> statement-breakpoint
CREATE TABLE "individuals" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"source_id" text NOT NULL,
	"full_name" text NOT NULL,
	"date_of_birth" date,
	"nhs_number" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "payments" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"source_id" text NOT NULL,
	"organisation_id" uuid NOT NULL,
	"care_package_id" uuid,
	"reference" text NOT NULL,
	"due_date" date NOT NULL,
	"amount_pence" bigint NOT NULL,
	"status" text DEFAULT 'scheduled' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "payments_status_check" CHECK ("payments"."status" in ('scheduled', 'paid', 'held', 'cancelled'))
);
--> statement-breakpoint
CREATE TABLE "purchase_order_lines" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"source_id" text NOT NULL,
	"purchase_order_id" uuid NOT NULL,
	"service" text NOT NULL,
	"units" numeric(12, 2) NOT NULL,
	"unit" text NOT NULL,
	"rate_pence" bigint NOT NULL,
	"period_from" date NOT NULL,
	"period_to" date NOT NULL,
	"cost_pence" bigint NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "purchase_order_lines_period_check" CHECK ("purchase_order_lines"."period_to" >= "purchase_order_lines"."period_from")
);
--> statement-breakpoint
CREATE TABLE "purchase_orders" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"source_id" text NOT NULL,
	"organisation_id" uuid NOT NULL,
	"care_package_id" uuid NOT NULL,
	"number" text NOT NULL,
	"status" text DEFAULT 'live' NOT NULL,
	"period_from" date NOT NULL,
	"period_to" date,
	"total_pence" bigint DEFAULT 0 NOT NULL,
	"line_count" bigint DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "purchase_orders_status_check" CHECK ("purchase_orders"."status" in ('live', 'suspended', 'closed', 'cancelled'))
);
--> statement-breakpoint
CREATE TABLE "remittance_lines" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"source_id" text NOT NULL,
	"remittance_id" uuid NOT NULL,
	"care_package_id" uuid,
	"purchase_order_number" text,
	"description" text NOT NULL,
	"period_from" date,
	"period_to" date,
	"amount_pence" bigint NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "remittances" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"source_id" text NOT NULL,
	"organisation_id" uuid NOT NULL,
	"reference" text NOT NULL,
	"payment_date" date NOT NULL,
	"total_pence" bigint DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "care_packages" ADD CONSTRAINT "care_packages_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "care_packages" ADD CONSTRAINT "care_packages_individual_id_individuals_id_fk" FOREIGN KEY ("individual_id") REFERENCES "public"."individuals"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "payments" ADD CONSTRAINT "payments_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "payments" ADD CONSTRAINT "payments_care_package_id_care_packages_id_fk" FOREIGN KEY ("care_package_id") REFERENCES "public"."care_packages"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "purchase_order_lines" ADD CONSTRAINT "purchase_order_lines_purchase_order_id_purchase_orders_id_fk" FOREIGN KEY ("purchase_order_id") REFERENCES "public"."purchase_orders"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "purchase_orders" ADD CONSTRAINT "purchase_orders_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "purchase_orders" ADD CONSTRAINT "purchase_orders_care_package_id_care_packages_id_fk" FOREIGN KEY ("care_package_id") REFERENCES "public"."care_packages"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "remittance_lines" ADD CONSTRAINT "remittance_lines_remittance_id_remittances_id_fk" FOREIGN KEY ("remittance_id") REFERENCES "public"."remittances"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "remittance_lines" ADD CONSTRAINT "remittance_lines_care_package_id_care_packages_id_fk" FOREIGN KEY ("care_package_id") REFERENCES "public"."care_packages"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "remittances" ADD CONSTRAINT "remittances_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "care_packages_source_id_key" ON "care_packages" USING btree ("source_id");--> statement-breakpoint
CREATE INDEX "care_packages_organisation_idx" ON "care_packages" USING btree ("organisation_id","status","end_date");--> statement-breakpoint
CREATE INDEX "care_packages_individual_idx" ON "care_packages" USING btree ("individual_id");--> statement-breakpoint
CREATE UNIQUE INDEX "individuals_source_id_key" ON "individuals" USING btree ("source_id");--> statement-breakpoint
CREATE UNIQUE INDEX "payments_source_id_key" ON "payments" USING btree ("source_id");--> statement-breakpoint
CREATE INDEX "payments_organisation_idx" ON "payments" USING btree ("organisation_id","due_date" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "payments_care_package_idx" ON "payments" USING btree ("care_package_id");--> statement-breakpoint
CREATE UNIQUE INDEX "purchase_order_lines_source_id_key" ON "purchase_order_lines" USING btree ("source_id");--> statement-breakpoint
CREATE INDEX "purchase_order_lines_order_idx" ON "purchase_order_lines" USING btree ("purchase_order_id","period_from","id");--> statement-breakpoint
CREATE UNIQUE INDEX "purchase_orders_source_id_key" ON "purchase_orders" USING btree ("source_id");--> statement-breakpoint
CREATE INDEX "purchase_orders_organisation_idx" ON "purchase_orders" USING btree ("organisation_id","status","period_from" DESC NULLS LAST,"id");--> statement-breakpoint
CREATE INDEX "purchase_orders_organisation_number_idx" ON "purchase_orders" USING btree ("organisation_id",upper("number"));--> statement-breakpoint
CREATE INDEX "purchase_orders_care_package_idx" ON "purchase_orders" USING btree ("care_package_id");--> statement-breakpoint
CREATE UNIQUE INDEX "remittance_lines_source_id_key" ON "remittance_lines" USING btree ("source_id");--> statement-breakpoint
CREATE INDEX "remittance_lines_remittance_idx" ON "remittance_lines" USING btree ("remittance_id");--> statement-breakpoint
CREATE INDEX "remittance_lines_care_package_idx" ON "remittance_lines" USING btree ("care_package_id");--> statement-breakpoint
CREATE UNIQUE INDEX "remittances_source_id_key" ON "remittances" USING btree ("source_id");--> statement-breakpoint
CREATE INDEX "remittances_organisation_idx" ON "remittances" USING btree ("organisation_id","payment_date" DESC NULLS LAST);