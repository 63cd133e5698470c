-- The staff queue's default view (open requests, soonest due first: lib/requests/queries.ts
-- listQueue) read requests_due_idx in due order and skipped every closed request on the way —
-- 48,000 of 50,000 in bench/queue, 20–50 ms. This partial index holds only the open ones (the
-- predicate is openStatuses in lib/requests/rules.ts, which the query's IN list implies): the
-- first page is 50 index entries.
CREATE INDEX IF NOT EXISTS "requests_open_due_idx" ON "requests" ("due_at", "number") WHERE "status" IN ('received', 'prioritised', 'assigned', 'in_progress');--> statement-breakpoint
-- The audit log searched by one action (lib/audit/search-audit.ts), newest first: read in that
-- order from this index instead of walking occurred_at backwards past every other action.
CREATE INDEX IF NOT EXISTS "audit_events_action_time_idx" ON "audit_events" ("action", "occurred_at", "seq");
