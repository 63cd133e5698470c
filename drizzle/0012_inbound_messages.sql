CREATE TABLE "inbound_messages" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"message_id" text,
	"message_id_hash" text,
	"content_hash" text NOT NULL,
	"mailbox" text,
	"uid_validity" text,
	"uid" integer,
	"size" integer,
	"from_address" text,
	"from_name" text,
	"subject" text,
	"classification" text,
	"action" text,
	"folder" text,
	"reason" text,
	"sender_verified" boolean DEFAULT false NOT NULL,
	"authentication" jsonb,
	"request_id" uuid,
	"processed_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "inbound_messages" ADD CONSTRAINT "inbound_messages_request_id_requests_id_fk" FOREIGN KEY ("request_id") REFERENCES "public"."requests"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "inbound_messages_content_hash" ON "inbound_messages" USING btree ("content_hash");--> statement-breakpoint
CREATE UNIQUE INDEX "inbound_messages_message_id_hash" ON "inbound_messages" USING btree ("message_id_hash") WHERE "inbound_messages"."message_id_hash" is not null;--> statement-breakpoint
CREATE INDEX "inbound_messages_processed_idx" ON "inbound_messages" USING btree ("processed_at" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "inbound_messages_request_idx" ON "inbound_messages" USING btree ("request_id");