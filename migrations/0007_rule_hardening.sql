-- Rules found missing by the seed-rule tests.

-- The audit log rejects TRUNCATE too (the row triggers do not see it).
CREATE TRIGGER append_only_truncate BEFORE TRUNCATE ON audit_log
  FOR EACH STATEMENT EXECUTE FUNCTION frontdesk_reject_change();
--> statement-breakpoint

-- Deleting an account keeps its people and conversation history and clears their link to it.
-- PostgreSQL 15's column list makes SET NULL possible on a composite key without touching
-- tenant_id. (Drizzle cannot declare this; the schema shows these references as plain ones.)
ALTER TABLE contacts DROP CONSTRAINT contacts_account_fk,
  ADD CONSTRAINT contacts_account_fk FOREIGN KEY (tenant_id, account_id)
  REFERENCES accounts (tenant_id, id) ON DELETE SET NULL (account_id);
--> statement-breakpoint
ALTER TABLE conversations DROP CONSTRAINT conversations_account_fk,
  ADD CONSTRAINT conversations_account_fk FOREIGN KEY (tenant_id, account_id)
  REFERENCES accounts (tenant_id, id) ON DELETE SET NULL (account_id);
--> statement-breakpoint
ALTER TABLE escalations DROP CONSTRAINT escalations_account_fk,
  ADD CONSTRAINT escalations_account_fk FOREIGN KEY (tenant_id, account_id)
  REFERENCES accounts (tenant_id, id) ON DELETE SET NULL (account_id);
