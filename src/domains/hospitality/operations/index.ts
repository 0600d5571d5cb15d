/**
 * The hospitality module over HTTP: properties and their messaging settings (configured by an
 * admin) and reservations (worked by agents).
 */
import type { AnyOperation } from '../../../platform/http/operation.js';
import { type ResourceSpec, resourceOperations } from '../../../platform/http/resource.js';
import { properties, propertySettings, reservations } from '../tables.js';

const hospitalityResources: ResourceSpec[] = [
  {
    name: 'properties',
    component: 'Property',
    tag: 'Hospitality',
    table: properties,
    writeRole: 'admin',
    filters: ['isActive', 'externalId', 'name'],
    example: {
      name: 'Aspen Ridge Cabin',
      address: '412 Ridge Rd, Aspen, CO 81611',
      timezone: 'America/Denver',
    },
  },

  {
    name: 'property-settings',
    component: 'PropertySettings',
    tag: 'Hospitality',
    table: propertySettings,
    writeRole: 'admin',
    filters: ['propertyId'],
    example: {
      propertyId: '01950000-0000-7000-8000-000000000030',
      checkinTime: '16:00',
      checkoutTime: '11:00',
      parkingInfo: 'Two spaces in the driveway; no street parking in winter.',
      petPolicy: 'Dogs welcome with a $75 fee',
      smokingPolicy: 'No smoking anywhere on the property',
    },
    refs: { propertyId: 'properties' },
  },

  {
    name: 'reservations',
    component: 'Reservation',
    tag: 'Hospitality',
    table: reservations,
    writeRole: 'agent',
    filters: ['propertyId', 'status', 'checkIn', 'checkOut', 'contactId', 'externalBookingId'],
    example: {
      propertyId: '01950000-0000-7000-8000-000000000030',
      guestName: 'Jordan Lee',
      guestEmail: 'jordan@example.com',
      guestPhone: '+15550123',
      preferredChannel: 'sms',
      checkIn: '2026-07-10',
      checkOut: '2026-07-14',
      numberOfGuests: 4,
      notes: 'Arriving late, around 11 pm',
    },
    refs: { propertyId: 'properties' },
  },
];

export const hospitalityOperations: readonly AnyOperation[] =
  hospitalityResources.flatMap(resourceOperations);
