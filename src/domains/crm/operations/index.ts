/** CRM: accounts, contacts and their channel identities, as standard resources. */
import type { AnyOperation } from '../../../platform/http/operation.js';
import { type ResourceSpec, resourceOperations } from '../../../platform/http/resource.js';
import { accounts, contactIdentities, contacts } from '../tables.js';

const crmResources: ResourceSpec[] = [
  {
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
  },
  {
    name: 'contacts',
    component: 'Contact',
    tag: 'CRM',
    table: contacts,
    writeRole: 'agent',
    filters: ['accountId', 'email', 'externalId'],
    example: { name: 'Dana Reyes', email: 'dana@acme.example', role: 'Head of Support', isPrimary: true },
  },
  {
    name: 'contact-identities',
    component: 'ContactIdentity',
    tag: 'CRM',
    table: contactIdentities,
    writeRole: 'agent',
    filters: ['contactId', 'channelId', 'externalUserId'],
    example: { contactId: '', channelId: '', externalUserId: 'U024BE7LH', externalUserName: 'dana' },
    refs: { contactId: 'contacts', channelId: 'channels' },
  },
];

export const crmOperations: readonly AnyOperation[] = crmResources.flatMap(resourceOperations);
