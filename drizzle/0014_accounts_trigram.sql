-- The audit log's person search (lib/audit/search-audit.ts) finds accounts by any part of the
-- email or name: LIKE '%priya%' / ILIKE on full_name. Without these it scans every account
-- (45 ms at 100,000). Trigram GIN indexes answer both. pg_trgm is a trusted extension (the
-- database owner may create it) on PostgreSQL 13+, Vercel Postgres/Neon, and PGlite, which
-- loads it in lib/db/open-database.ts.
CREATE EXTENSION IF NOT EXISTS pg_trgm;--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "accounts_email_trgm_idx" ON "accounts" USING gin ("email" gin_trgm_ops);--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "accounts_full_name_trgm_idx" ON "accounts" USING gin ("full_name" gin_trgm_ops);
