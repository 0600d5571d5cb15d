/**
 * Builds one migrated template database per run; every test file then gets a fresh copy of it
 * (graphile-worker's approach): a PGlite data-dir dump on the embedded engine, or
 * `CREATE DATABASE … TEMPLATE` on a server when TEST_DATABASE_URL is set. When that server is the
 * coordinator of a Citus cluster, the template is made on every node (tables distributed by
 * `migrate`) and each test file copies it on every node: the copies form one distributed database.
 */
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { openDatabase } from '../src/platform/db/database.js';
import { migrate } from '../src/platform/db/migrate.js';
import {
  adminUrl,
  citusWorkerUrls,
  createCitusDatabase,
  freezeTemplate,
  templateDbName,
} from './helpers/server.js';

declare module 'vitest' {
  export interface ProvidedContext {
    pgliteTemplate: string;
    serverUrl: string;
    serverTemplate: string;
    /** Maintenance URLs of the Citus workers when the server is a Citus coordinator, else empty. */
    citusWorkers: string[];
  }
}

export default async function setup(project: TestProject) {
  const serverUrl = process.env.TEST_DATABASE_URL ?? '';
  project.provide('serverUrl', serverUrl);
  const TEMPLATE_DB = templateDbName(process.pid);
  project.provide('serverTemplate', TEMPLATE_DB);
  if (serverUrl) {
    const admin = await openDatabase({ engine: 'postgres', url: adminUrl(serverUrl), poolSize: 1 });
    const workers = await citusWorkerUrls(admin, serverUrl);
    project.provide('citusWorkers', workers);
    const nodes = [serverUrl, ...workers];
    const dropTemplate = async () => {
      for (const node of nodes) {
        const db = await openDatabase({ engine: 'postgres', url: adminUrl(node), poolSize: 1 });
        await db.exec(`DROP DATABASE IF EXISTS ${TEMPLATE_DB} WITH (FORCE)`);
        await db.close();
      }
    };
    await dropTemplate();
    if (workers.length > 0) await createCitusDatabase(serverUrl, workers, TEMPLATE_DB);
    else await admin.exec(`CREATE DATABASE ${TEMPLATE_DB}`);
    const template = await openDatabase({
      engine: 'postgres',
      url: adminUrl(serverUrl, TEMPLATE_DB),
      poolSize: 1,
    });
    await migrate(template);
    await template.close();
    if (workers.length > 0) await freezeTemplate(nodes, TEMPLATE_DB);
    project.provide('pgliteTemplate', '');
    return async () => {
      await dropTemplate();
      await admin.close();
    };
  }
  project.provide('citusWorkers', []);
  const db = await openDatabase({ engine: 'pglite' });
  await migrate(db);
  const dump = await db.pglite!.dumpDataDir('none');
  await db.close();
  const path = join(tmpdir(), `frontdesk-test-template-${process.pid}.tar`);
  writeFileSync(path, Buffer.from(await dump.arrayBuffer()));
  project.provide('pgliteTemplate', path);
  return undefined;
}
