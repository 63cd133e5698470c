CREATE INDEX "requests_resolved_idx" ON "requests" USING btree ("resolved_at");--> statement-breakpoint
-- Hand-written (lib/db/schema/audit.ts does not declare it): a request's audit history is read
-- by request (lib/requests/queries.ts), which the other audit indexes cannot serve on a large log.
CREATE INDEX IF NOT EXISTS "audit_events_request_idx" ON "audit_events" USING btree ("request_id","seq") WHERE "request_id" IS NOT NULL;
