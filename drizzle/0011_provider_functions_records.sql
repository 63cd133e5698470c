-- The provider functions' records, enforced by the database (AUP-5.2e, AUP-2.1a, AUP-2.1c):
-- query messages and the contact-change history can only be inserted; a signed contract can
-- never be changed or deleted, and no contract is ever deleted (a mistaken one is withdrawn).
CREATE TRIGGER query_messages_append_only BEFORE UPDATE OR DELETE ON query_messages
  FOR EACH ROW EXECUTE FUNCTION portal_refuse_change('query messages are part of the official record');
--> statement-breakpoint
CREATE TRIGGER query_messages_no_truncate BEFORE TRUNCATE ON query_messages
  FOR EACH STATEMENT EXECUTE FUNCTION portal_refuse_change('query messages are part of the official record');
--> statement-breakpoint
CREATE TRIGGER organisation_contact_changes_append_only BEFORE UPDATE OR DELETE ON organisation_contact_changes
  FOR EACH ROW EXECUTE FUNCTION portal_refuse_change('the contacts history is part of the official record');
--> statement-breakpoint
CREATE TRIGGER organisation_contact_changes_no_truncate BEFORE TRUNCATE ON organisation_contact_changes
  FOR EACH STATEMENT EXECUTE FUNCTION portal_refuse_change('the contacts history is part of the official record');
--> statement-breakpoint
CREATE OR REPLACE FUNCTION portal_refuse_signed_contract_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    RAISE EXCEPTION 'portal: DELETE on contracts is not allowed (contracts are withdrawn, never deleted)'
      USING ERRCODE = '42501';
  END IF;
  IF OLD.status = 'signed' THEN
    RAISE EXCEPTION 'portal: UPDATE on contracts is not allowed (a signed contract is immutable)'
      USING ERRCODE = '42501';
  END IF;
  RETURN NEW;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER contracts_signed_immutable BEFORE UPDATE OR DELETE ON contracts
  FOR EACH ROW EXECUTE FUNCTION portal_refuse_signed_contract_change();
--> statement-breakpoint
CREATE TRIGGER contracts_no_truncate BEFORE TRUNCATE ON contracts
  FOR EACH STATEMENT EXECUTE FUNCTION portal_refuse_change('contracts are withdrawn, never deleted');
