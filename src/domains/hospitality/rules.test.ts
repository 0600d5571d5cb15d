/**
 * Seed rules of the hospitality module (seed 003), tried through the request role: properties
 * (IANA time zone), property settings (one per property, wall-clock TIME schedule) and
 * reservations.
 */
import { eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { useTestDatabase } from '../../../test/helpers/db.js';
import {
  columnType,
  expectEnum,
  expectInsertRejected,
  expectNotNull,
  expectPgError,
  insertIn,
  type RowOf,
  SQLSTATE as S,
  type TenantOwned,
  tenantWith,
  uniq,
} from '../../../test/helpers/rules.js';
import { withTenant } from '../../platform/db/tenant.js';
import { CHANNEL_KINDS } from '../channels/tables.js';
import { properties, propertySettings, RESERVATION_STATUSES, reservations } from './tables.js';

const t = useTestDatabase();
let A: string;
let B: string;
let propertyA: string;
let propertyB: string;

beforeAll(async () => {
  A = await tenantWith(t.db);
  B = await tenantWith(t.db);
  propertyA = (await insertIn(t.db, A, properties, { name: 'Beach House' })).id;
  propertyB = (await insertIn(t.db, B, properties, { name: 'Lake Cabin' })).id;
});

const reject = <T extends TenantOwned>(table: T, values: RowOf<T>, code: string, constraint?: string) =>
  expectInsertRejected(t.db, A, table, values, code, constraint);
const newProperty = async () => (await insertIn(t.db, A, properties, { name: uniq('villa') })).id;

describe('properties', () => {
  it("time zone is a known IANA zone or unset (the tenant's), on insert and on update", async () => {
    expect(
      (await insertIn(t.db, A, properties, { name: 'Sydney flat', timezone: 'Australia/Sydney' })).timezone,
    ).toBe('Australia/Sydney');
    expect((await insertIn(t.db, A, properties, { name: 'Default zone' })).timezone).toBeNull();
    await reject(
      properties,
      { name: 'Nowhere', timezone: 'Atlantis/Capital' },
      S.checkViolation,
      'properties_timezone_check',
    );
    await expectPgError(
      withTenant(t.db, A, (tx) =>
        tx.update(properties).set({ timezone: 'Australia/Sydnee' }).where(eq(properties.id, propertyA)),
      ),
      S.checkViolation,
      'properties_timezone_check',
    );
    const [row] = await withTenant(t.db, A, (tx) =>
      tx.select().from(properties).where(eq(properties.id, propertyA)),
    );
    expect(row!.timezone).toBeNull();
  });

  it('external id is unique per tenant when set; name is required', async () => {
    await insertIn(t.db, A, properties, { name: 'P1', externalId: 'pms-1' });
    await reject(
      properties,
      { name: 'P2', externalId: 'pms-1' },
      S.uniqueViolation,
      'properties_tenant_external_key',
    );
    await insertIn(t.db, B, properties, { name: 'P1', externalId: 'pms-1' });
    await expectNotNull(t.db, A, properties, () => ({ name: 'x' }), ['name']);
  });
});

describe('property settings (seed 003 property_settings)', () => {
  const TIME_COLUMNS = [
    'schedule_t3_time',
    'schedule_t1_time',
    'schedule_day_of_time',
    'checkin_time',
    'checkout_time',
  ];

  it('schedule times are TIME columns with the seed defaults 10:00, 10:00, 14:00, 15:00, 10:00', async () => {
    for (const column of TIME_COLUMNS) {
      expect({ column, type: await columnType(t.db, 'property_settings', column) }).toEqual({
        column,
        type: 'time without time zone',
      });
    }
    const row = await insertIn(t.db, A, propertySettings, { propertyId: await newProperty() });
    expect([
      row.scheduleT3Time,
      row.scheduleT1Time,
      row.scheduleDayOfTime,
      row.checkinTime,
      row.checkoutTime,
    ]).toEqual(['10:00:00', '10:00:00', '14:00:00', '15:00:00', '10:00:00']);
    expect([row.autoReplyEnabled, row.smsEnabled, row.emailEnabled]).toEqual([true, true, true]);
  });

  it('a time is accepted as HH:MM; a non-time string and 25:00 are refused', async () => {
    const row = await insertIn(t.db, A, propertySettings, {
      propertyId: await newProperty(),
      checkinTime: '16:30',
    });
    expect(row.checkinTime).toBe('16:30:00');
    const propertyId = await newProperty();
    await reject(propertySettings, { propertyId, checkinTime: 'afternoon' }, S.invalidDatetimeFormat);
    await reject(propertySettings, { propertyId, checkoutTime: '25:00' }, S.datetimeFieldOverflow);
  });

  it('one row per property (seed: property_id UNIQUE)', async () => {
    const propertyId = await newProperty();
    await insertIn(t.db, A, propertySettings, { propertyId });
    await reject(propertySettings, { propertyId }, S.uniqueViolation, 'property_settings_property_key');
  });

  it("cannot belong to another tenant's property; times and switches are NOT NULL", async () => {
    await reject(
      propertySettings,
      { propertyId: propertyB },
      S.foreignKeyViolation,
      'property_settings_property_fk',
    );
    const propertyId = await newProperty();
    await expectNotNull(t.db, A, propertySettings, () => ({ propertyId }), [
      'propertyId',
      'scheduleT3Time',
      'scheduleT1Time',
      'scheduleDayOfTime',
      'checkinTime',
      'checkoutTime',
      'autoReplyEnabled',
      'smsEnabled',
      'emailEnabled',
    ]);
  });

  it('are deleted with their property', async () => {
    const propertyId = await newProperty();
    await insertIn(t.db, A, propertySettings, { propertyId });
    await withTenant(t.db, A, (tx) => tx.delete(properties).where(eq(properties.id, propertyId)));
    expect(
      await withTenant(t.db, A, (tx) =>
        tx.select().from(propertySettings).where(eq(propertySettings.propertyId, propertyId)),
      ),
    ).toEqual([]);
  });
});

describe('reservations', () => {
  const stay = (extra: Partial<typeof reservations.$inferInsert> = {}) => ({
    propertyId: propertyA,
    guestName: 'Alex Guest',
    checkIn: '2025-07-01',
    checkOut: '2025-07-05',
    ...extra,
  });

  it("status and preferred channel are closed lists; status defaults to 'confirmed'", async () => {
    expect((await insertIn(t.db, A, reservations, stay())).status).toBe('confirmed');
    await expectEnum(t.db, A, {
      table: reservations,
      column: 'status',
      values: RESERVATION_STATUSES,
      row: (v) => stay({ status: v as never }),
      constraint: 'reservations_status_check',
    });
    await expectEnum(t.db, A, {
      table: reservations,
      column: 'preferred_channel',
      values: CHANNEL_KINDS,
      row: (v) => stay({ preferredChannel: v as never }),
      constraint: 'reservations_preferred_channel_check',
    });
  });

  it('check-out is after check-in; guests are at least one; booking id is unique per tenant', async () => {
    for (const checkOut of ['2025-07-01', '2025-06-30']) {
      await reject(reservations, stay({ checkOut }), S.checkViolation, 'reservations_dates_check');
    }
    await reject(reservations, stay({ numberOfGuests: 0 }), S.checkViolation, 'reservations_guests_check');
    await insertIn(t.db, A, reservations, stay({ externalBookingId: 'HM-1' }));
    await reject(
      reservations,
      stay({ externalBookingId: 'HM-1' }),
      S.uniqueViolation,
      'reservations_tenant_external_key',
    );
    await insertIn(t.db, B, reservations, stay({ propertyId: propertyB, externalBookingId: 'HM-1' }));
  });

  it("cannot be at another tenant's property; property, guest and dates are required", async () => {
    await reject(
      reservations,
      stay({ propertyId: propertyB }),
      S.foreignKeyViolation,
      'reservations_property_fk',
    );
    await expectNotNull(t.db, A, reservations, () => stay(), [
      'propertyId',
      'guestName',
      'checkIn',
      'checkOut',
    ]);
  });
});
