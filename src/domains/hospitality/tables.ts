import { sql } from 'drizzle-orm';
import {
  boolean,
  check,
  date,
  index,
  integer,
  jsonb,
  text,
  time,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { emptyJsonObject, inValues, timestamps } from '../../schema/columns.js';
import { tenantRef, tenantTable } from '../../schema/tenant-table.js';
import { CHANNEL_KINDS } from '../channels/tables.js';
import { contacts } from '../crm/tables.js';

export const RESERVATION_STATUSES = [
  'inquiry',
  'confirmed',
  'checked_in',
  'checked_out',
  'cancelled',
] as const;

type Json = Record<string, unknown>;

/**
 * A rental property (seed 003). `timezone` (IANA, checked by the `check_timezone` trigger) is
 * where its wall-clock schedule runs; NULL = the tenant's time zone. `external_id` is the
 * property's id in the tenant's PMS / channel manager.
 */
export const properties = tenantTable(
  'properties',
  {
    name: text('name').notNull(),
    address: text('address'),
    timezone: text('timezone'),
    externalId: text('external_id'),
    isActive: boolean('is_active').notNull().default(true),
    metadata: jsonb('metadata').$type<Json>().notNull().default(emptyJsonObject),
    ...timestamps(),
  },
  (t) => [
    index('properties_tenant_name_idx').on(t.tenantId, t.name),
    uniqueIndex('properties_tenant_external_key')
      .on(t.tenantId, t.externalId)
      .where(sql`${t.externalId} is not null`),
  ],
);

/**
 * Per-property messaging and house rules (seed 003's property_settings), one row per property.
 * Schedule times are wall-clock TIMEs in the property's time zone.
 */
export const propertySettings = tenantTable(
  'property_settings',
  {
    propertyId: uuid('property_id').notNull(),
    autoReplyEnabled: boolean('auto_reply_enabled').notNull().default(true),
    smsEnabled: boolean('sms_enabled').notNull().default(true),
    emailEnabled: boolean('email_enabled').notNull().default(true),
    scheduleT3Time: time('schedule_t3_time').notNull().default('10:00'),
    scheduleT1Time: time('schedule_t1_time').notNull().default('10:00'),
    scheduleDayOfTime: time('schedule_day_of_time').notNull().default('14:00'),
    checkinTime: time('checkin_time').notNull().default('15:00'),
    checkoutTime: time('checkout_time').notNull().default('10:00'),
    earlyCheckinPolicy: text('early_checkin_policy'),
    lateCheckoutPolicy: text('late_checkout_policy'),
    parkingInfo: text('parking_info'),
    petPolicy: text('pet_policy'),
    smokingPolicy: text('smoking_policy'),
    ...timestamps(),
  },
  (t) => [
    tenantRef('property_settings_property_fk', t.tenantId, t.propertyId, properties, 'cascade'),
    uniqueIndex('property_settings_property_key').on(t.tenantId, t.propertyId),
  ],
);

/**
 * A stay at a property (seed 003). Check-in and check-out are dates in the property's time zone;
 * they drive the T-3 / T-1 / day-of messages.
 */
export const reservations = tenantTable(
  'reservations',
  {
    propertyId: uuid('property_id').notNull(),
    contactId: uuid('contact_id'),
    guestName: text('guest_name').notNull(),
    guestEmail: text('guest_email'),
    guestPhone: text('guest_phone'),
    preferredChannel: text('preferred_channel', { enum: CHANNEL_KINDS }),
    checkIn: date('check_in').notNull(),
    checkOut: date('check_out').notNull(),
    status: text('status', { enum: RESERVATION_STATUSES }).notNull().default('confirmed'),
    externalBookingId: text('external_booking_id'),
    numberOfGuests: integer('number_of_guests'),
    notes: text('notes'),
    metadata: jsonb('metadata').$type<Json>().notNull().default(emptyJsonObject),
    ...timestamps(),
  },
  (t) => [
    tenantRef('reservations_property_fk', t.tenantId, t.propertyId, properties, 'cascade'),
    tenantRef('reservations_contact_fk', t.tenantId, t.contactId, contacts),
    uniqueIndex('reservations_tenant_external_key')
      .on(t.tenantId, t.externalBookingId)
      .where(sql`${t.externalBookingId} is not null`),
    index('reservations_tenant_check_in_idx').on(t.tenantId, t.checkIn),
    index('reservations_tenant_property_idx').on(t.tenantId, t.propertyId, t.checkIn),
    index('reservations_tenant_contact_idx').on(t.tenantId, t.contactId),
    index('reservations_tenant_status_idx').on(t.tenantId, t.status),
    inValues('reservations_status_check', t.status, RESERVATION_STATUSES),
    inValues('reservations_preferred_channel_check', t.preferredChannel, CHANNEL_KINDS),
    check('reservations_dates_check', sql`${t.checkOut} > ${t.checkIn}`),
    check('reservations_guests_check', sql`${t.numberOfGuests} > 0`),
  ],
);

export type Property = typeof properties.$inferSelect;
export type NewProperty = typeof properties.$inferInsert;
export type PropertySettings = typeof propertySettings.$inferSelect;
export type NewPropertySettings = typeof propertySettings.$inferInsert;
export type Reservation = typeof reservations.$inferSelect;
export type NewReservation = typeof reservations.$inferInsert;
