CREATE TABLE "job_notices" (
	"kind" text NOT NULL,
	"subject_id" uuid NOT NULL,
	"occurrence_key" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "job_notices_kind_subject_id_occurrence_key_pk" PRIMARY KEY("kind","subject_id","occurrence_key")
);
--> statement-breakpoint
CREATE TABLE "job_runs" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"job" text NOT NULL,
	"status" text NOT NULL,
	"trigger" text NOT NULL,
	"requested_by" text,
	"started_at" timestamp with time zone NOT NULL,
	"finished_at" timestamp with time zone NOT NULL,
	"summary" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"error" text,
	CONSTRAINT "job_runs_status_check" CHECK ("job_runs"."status" in ('ok','failed','skipped_locked')),
	CONSTRAINT "job_runs_trigger_check" CHECK ("job_runs"."trigger" in ('timer','cron','cli','web'))
);
--> statement-breakpoint
CREATE INDEX "job_runs_job_idx" ON "job_runs" USING btree ("job","started_at");