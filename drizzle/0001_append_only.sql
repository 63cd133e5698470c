-- The official record is enforced by the database, not by remembering (UAP-4.4, AUP-5.2e,
-- UAP-4.3c): audit events and request notes can only be inserted; accounts and
-- organisations can never be deleted, only change status.
CREATE OR REPLACE FUNCTION portal_refuse_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'portal: % on % is not allowed (%)', TG_OP, TG_TABLE_NAME, TG_ARGV[0]
    USING ERRCODE = '42501';
END;
$$;
--> statement-breakpoint
CREATE TRIGGER audit_events_append_only BEFORE UPDATE OR DELETE ON audit_events
  FOR EACH ROW EXECUTE FUNCTION portal_refuse_change('the audit log is append-only');
--> statement-breakpoint
CREATE TRIGGER audit_events_no_truncate BEFORE TRUNCATE ON audit_events
  FOR EACH STATEMENT EXECUTE FUNCTION portal_refuse_change('the audit log is append-only');
--> statement-breakpoint
CREATE TRIGGER request_notes_append_only BEFORE UPDATE OR DELETE ON request_notes
  FOR EACH ROW EXECUTE FUNCTION portal_refuse_change('notes are part of the official record');
--> statement-breakpoint
CREATE TRIGGER request_notes_no_truncate BEFORE TRUNCATE ON request_notes
  FOR EACH STATEMENT EXECUTE FUNCTION portal_refuse_change('notes are part of the official record');
--> statement-breakpoint
CREATE TRIGGER accounts_never_deleted BEFORE DELETE ON accounts
  FOR EACH ROW EXECUTE FUNCTION portal_refuse_change('accounts are suspended, never deleted');
--> statement-breakpoint
CREATE TRIGGER accounts_no_truncate BEFORE TRUNCATE ON accounts
  FOR EACH STATEMENT EXECUTE FUNCTION portal_refuse_change('accounts are suspended, never deleted');
--> statement-breakpoint
CREATE TRIGGER organisations_never_deleted BEFORE DELETE ON organisations
  FOR EACH ROW EXECUTE FUNCTION portal_refuse_change('organisations are closed, never deleted');
