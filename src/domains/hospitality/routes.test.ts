import { describe, expect, it } from 'vitest';
import { useResourceApi } from '../../../test/helpers/resource-api.js';

const { call, expectProblem, fromExample, lifecycle } = useResourceApi({
  tenants: { '': ['viewer', 'agent', 'admin'], 'other-': ['admin'] },
});

describe('hospitality', () => {
  it('properties (admin)', async () => {
    await lifecycle('properties', 'name', { isActive: false, address: '1 Main St' });
    // The time zone must be an IANA name (check_timezone trigger).
    expectProblem(await call('admin', 'POST', '/properties', { name: 'x', timezone: 'Mars/Olympus' }), 422);
  });

  it('property settings (admin): one row per property', async () => {
    const s = await lifecycle('property-settings', 'propertyId', {
      checkinTime: '15:30:00',
      smsEnabled: false,
    });
    expect(s).toMatchObject({
      checkinTime: '16:00:00',
      checkoutTime: '11:00:00',
      scheduleT3Time: '10:00:00',
    });
    const property = (await fromExample('properties')).body;
    expect((await call('admin', 'POST', '/property-settings', { propertyId: property.id })).status).toBe(201);
    expectProblem(await call('admin', 'POST', '/property-settings', { propertyId: property.id }), 409);
  });

  it('reservations (agent): filters by property, status and check-in', async () => {
    const r = await lifecycle('reservations', 'checkIn', { status: 'checked_in', numberOfGuests: 3 });
    expect(r).toMatchObject({ status: 'confirmed', checkIn: '2026-07-10', checkOut: '2026-07-14' });
    const property = (await fromExample('properties')).body;
    const stay = { propertyId: property.id, guestName: 'Ana', checkIn: '2026-08-01', checkOut: '2026-08-03' };
    const made = await call('agent', 'POST', '/reservations', { ...stay, status: 'inquiry' });
    expect(made.status).toBe(201);
    await call('agent', 'POST', '/reservations', { ...stay, checkIn: '2026-08-05', checkOut: '2026-08-06' });
    const q = `/reservations?propertyId=${property.id}&status=inquiry&checkIn=2026-08-01`;
    expect((await call('viewer', 'GET', q)).body.data.map((x: { id: string }) => x.id)).toEqual([
      made.body.id,
    ]);
    expectProblem(await call('agent', 'POST', '/reservations', { ...stay, checkOut: '2026-08-01' }), 422);
    expectProblem(await call('agent', 'POST', '/reservations', { ...stay, preferredChannel: 'pigeon' }), 422);
    expectProblem(await call('agent', 'PATCH', `/reservations/${made.body.id}`, { numberOfGuests: 0 }), 422);
  });
});
