-- hand-written
-- On Citus, ON DELETE SET NULL on a key that includes tenant_id is a BEFORE DELETE trigger
-- (0017). Its function named a variable `old`, which PL/pgSQL identifiers being case-blind, hid
-- the trigger's OLD row: `RETURN OLD` returned the jsonb and every such delete failed (42804),
-- e.g. removing a member. Same function, the variable renamed. A no-op where Citus is not used
-- (no trigger calls it there).
CREATE OR REPLACE FUNCTION frontdesk_fk_set_null() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  cols text[] := string_to_array(TG_ARGV[1], ',');
  refcols text[] := string_to_array(TG_ARGV[2], ',');
  old_row jsonb := to_jsonb(OLD);
  sets text;
  conds text;
BEGIN
  SELECT string_agg(format('%I = NULL', c), ', ') INTO sets FROM unnest(string_to_array(TG_ARGV[3], ',')) c;
  SELECT string_agg(format('%I = %L', cols[i], old_row ->> refcols[i]), ' AND ') INTO conds
  FROM generate_subscripts(cols, 1) i;
  EXECUTE format('UPDATE public.%I SET %s WHERE %s', TG_ARGV[0], sets, conds);
  RETURN OLD;
END $$;
