import { describe, expect, it } from 'vitest';
import { columnOf, constraintOf, databaseError } from './error-names.js';

// The fields of errors as node-postgres delivered them from a Citus 13.2 coordinator (the
// escalation rules test on the Citus lane), and as PostgreSQL itself sets them.
const WORKER = 'while executing command on 127.0.0.1:9702';

describe('what a database error names', () => {
  it('takes the fields PostgreSQL and PGlite set', () => {
    expect(constraintOf({ constraint: 'escalations_type_check', message: 'x' })).toBe(
      'escalations_type_check',
    );
    expect(columnOf({ column: 'type' })).toBe('type');
  });

  it('reads them from a Citus worker’s relayed message, without the shard suffix', () => {
    expect(
      constraintOf({
        message:
          'new row for relation "escalations_102152" violates check constraint "escalations_type_check"',
        where: WORKER,
      }),
    ).toBe('escalations_type_check');
    expect(
      constraintOf({
        message:
          'insert or update on table "escalations_102152" violates foreign key constraint "escalations_account_fk_102152"',
        detail: 'Key is not present in table "accounts_102016".',
        where: WORKER,
      }),
    ).toBe('escalations_account_fk');
    expect(
      columnOf({
        message: 'null value in column "type" of relation "escalations_102152" violates not-null constraint',
        where: WORKER,
      }),
    ).toBe('type');
  });

  it('reads a trigger’s check from the DETAIL it adds (the message names none)', () => {
    expect(
      constraintOf({
        message: 'an acknowledged escalation cannot be reopened',
        detail: 'violates check constraint "escalations_status_transition_check"',
        where: `PL/pgSQL function public.frontdesk_escalation_workflow() line 9 at RAISE\n${WORKER}`,
      }),
    ).toBe('escalations_status_transition_check');
  });

  it('guesses nothing from an error that was not relayed, or names nothing', () => {
    expect(constraintOf({ message: 'violates check constraint "made_up"' })).toBeUndefined();
    expect(
      constraintOf({ message: 'canceling statement due to user request', where: WORKER }),
    ).toBeUndefined();
    expect(columnOf({ message: 'division by zero', where: WORKER })).toBeUndefined();
  });

  it('finds the database error behind the wrappers, and nothing behind an error without a SQLSTATE', () => {
    const driver = Object.assign(new Error('duplicate key value'), { code: '23505', constraint: 'x_key' });
    const wrapped = new Error('Failed query: insert …', { cause: driver });
    expect(databaseError(wrapped)).toBe(driver);
    expect(databaseError(driver)).toBe(driver);
    expect(databaseError(new Error('boom', { cause: { code: 'ECONNRESET' } }))).toBeUndefined();
    expect(databaseError(undefined)).toBeUndefined();
  });
});
