import { defineResource } from '../../platform/http/resource.js';
import type { ApiContext } from '../../platform/http/route.js';
import { accounts, contactIdentities, contacts } from './tables.js';

export function registerCrmRoutes(api: ApiContext): void {
  defineResource(api, {
    name: 'accounts',
    component: 'Account',
    tag: 'CRM',
    table: accounts,
    writeRole: 'agent',
    readOnly: ['healthScore'],
    filters: ['stage', 'relationshipStatus', 'accountManagerUserId', 'domain'],
    example: {
      name: 'Acme Corp',
      domain: 'acme.example',
      arrCents: 4_800_000,
      stage: 'active',
      renewalDate: '2027-03-01',
    },
  });
  defineResource(api, {
    name: 'contacts',
    component: 'Contact',
    tag: 'CRM',
    table: contacts,
    writeRole: 'agent',
    filters: ['accountId', 'email', 'externalId'],
    example: { name: 'Dana Reyes', email: 'dana@acme.example', role: 'Head of Support', isPrimary: true },
  });
  defineResource(api, {
    name: 'contact-identities',
    component: 'ContactIdentity',
    tag: 'CRM',
    table: contactIdentities,
    writeRole: 'agent',
    filters: ['contactId', 'channelId', 'externalUserId'],
    example: { contactId: '', channelId: '', externalUserId: 'U024BE7LH', externalUserName: 'dana' },
    refs: { contactId: 'contacts', channelId: 'channels' },
  });
}
