-- Who holds a security role, across organisations (lib/jobs/recipients.ts: each organisation's
-- Lead correspondents for the inactivity sweep's emails, the operator's team leads): the
-- primary key (account_id, role_key) cannot answer "holders of role X", so the query scanned
-- every grant — 35–40 ms at 100,000 accounts in bench/sweep; through this index about 3 ms.
CREATE INDEX IF NOT EXISTS "role_grants_role_account_idx" ON "role_grants" ("role_key", "account_id");
