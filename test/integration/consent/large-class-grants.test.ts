/**
 * Decision 0207: a class grant or revoke too large for one transaction (here 120 schemas: 240 items) is
 * staged in chunks and committed by the history head in one transaction, so nobody sees part of it. A
 * reader probing right after the first chunk (from inside a wrapped client), readers looping concurrently
 * and a fault injected after the first chunk (the same wrapper, only for that fault) all see the class
 * wholly granted or wholly not; the data path refuses a staged grant and keeps the key of a staged revoke.
 * Decision 0209: settling that fails after the commit does not fail the change, and the sweeper of staged
 * changes settles it (destroying a revoke's keys) or rolls back a change whose head never committed.
 */
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { readConsentRows, requireCurrentGrant } from '../../../shared/consent/consent-rows.js';
import { readConsents } from '../../../shared/consent/consents.js';
import { changeConsents } from '../../../shared/consent/grants.js';
import { sweepStagedChanges } from '../../../shared/consent/settling.js';
import { CONSENT_SK_PREFIX, referencePartition } from '../../../shared/consent/keys.js';
import { getReference, loadHistoryFrom } from '../../../shared/consent/store.js';
import { dynamoClient, kmsClient } from '../../../shared/platform/clients.js';
import { type TableClient, useClient } from '../../../shared/platform/table/index.js';
import { call, systemToken, tableNames, testDynamo } from '../../support/api.js';
import { activeReference, BASE, enc, guestCaller, keyRows, tenantWithMetamodel, type TestTenant, useLocalPlatformFromTests } from './support.js';

useLocalPlatformFromTests();

const CLASS = 'HugeClass';
const SIZE = 120;
const schemaName = (i: number) => `https://example.test/metamodel/huge/${String(i).padStart(3, '0')}`;
const SCHEMA_NAMES = Array.from({ length: SIZE }, (_, i) => schemaName(i));

let t: TestTenant;
let ref: string;
const GUEST = 'g-huge';

beforeAll(async () => {
  t = await tenantWithMetamodel('huge');
  const system = await systemToken();
  const put = await call('PUT', `/admin/v1/consentClasses/${CLASS}`, { token: system, body: { title: CLASS, description: 'A class of 120 schemas' } });
  expect(put.status).toBeLessThan(300);
  for (let i = 0; i < SIZE; i += 10) {
    await Promise.all(SCHEMA_NAMES.slice(i, i + 10).map(async (schema) => {
      const response = await call('PUT', `${BASE}/${t.tenant}/schemas/${enc(schema)}`, {
        token: t.admin,
        body: { consentClass: CLASS, owner: 'user', title: schema.split('/').pop(), description: 'huge', grantedByDefault: false },
      });
      if (response.status !== 201) throw new Error(`schema ${schema}: ${response.status} ${response.text}`);
    }));
  }
  ({ ref } = await activeReference(t, await t.guest(GUEST)));
}, 120_000);

afterAll(() => {
  dynamoClient().destroy();
  kmsClient().destroy();
});

/** How many of the class's consents a listing shows granted. */
async function grantedInClass(): Promise<number> {
  const listing = await readConsents(t.tenant, ref, guestCaller(t.tenant, GUEST));
  return listing.consents.filter((c) => c.consentClass === CLASS && c.granted).length;
}

/** The raw consent rows of the class (staging attributes included), read around the domain. */
async function rawRows() {
  const out = await testDynamo().send(new QueryCommand({
    TableName: tableNames.data,
    KeyConditionExpression: 'PK = :pk AND begins_with(SK, :sk)',
    ExpressionAttributeValues: { ':pk': referencePartition(t.tenant, ref), ':sk': CONSENT_SK_PREFIX },
  }));
  return (out.Items ?? []).filter((row) => SCHEMA_NAMES.includes(String(row.schema)));
}

type Command = { input: Record<string, unknown>; constructor: { name: string } };
const consentSchemasOf = (command: Command) =>
  ((command.input.TransactItems ?? []) as Array<{ Update?: { Key?: { SK?: string } } }>)
    .map((item) => item.Update?.Key?.SK)
    .filter((sk): sk is string => typeof sk === 'string' && sk.startsWith(CONSENT_SK_PREFIX))
    .map((sk) => sk.slice(CONSENT_SK_PREFIX.length));

/**
 * A client that lets the first transaction (the first chunk) through and then, before the second, runs
 * `between` (with the schemas the first chunk wrote) and, with `fail`, throws instead of sending it.
 */
function afterFirstChunk(between: (schemas: string[]) => Promise<void>, fail = false) {
  const real = dynamoClient();
  let transactions = 0;
  let firstChunk: string[] = [];
  const client: TableClient = {
    send: (async (command: Command) => {
      if (command.constructor.name === 'TransactWriteCommand') {
        transactions++;
        if (transactions === 1) firstChunk = consentSchemasOf(command);
        if (transactions === 2) {
          await between(firstChunk);
          if (fail) throw Object.assign(new Error('injected after the first chunk'), { name: 'InjectedFault' });
        }
      }
      return real.send(command as never);
    }) as TableClient['send'],
  };
  return { client, transactions: () => transactions };
}

/** Reads the listing in a loop until `done` resolves; every count seen. */
async function readWhile(done: Promise<unknown>): Promise<number[]> {
  const seen: number[] = [];
  let finished = false;
  void done.finally(() => {
    finished = true;
  }).catch(() => undefined);
  while (!finished) seen.push(await grantedInClass());
  return seen;
}

describe('class grants larger than one transaction (decision 0207)', () => {
  it('grants a class of 120 schemas as one change: a reader between the chunks and concurrent readers see none or all', async () => {
    expect(await grantedInClass()).toBe(0);
    const headBefore = (await getReference(t.tenant, ref))!.historySeq;
    const probe: { granted?: number; staged?: number; dataRefused?: boolean } = {};
    const wrapped = afterFirstChunk(async (schemas) => {
      probe.granted = await grantedInClass();
      probe.staged = (await rawRows()).filter((row) => row.stagedGranted === true).length;
      const rows = await readConsentRows(t.tenant, ref, schemas[0]);
      probe.dataRefused = (() => {
        try {
          requireCurrentGrant(rows, ref, schemas[0]);
          return false;
        } catch {
          return true;
        }
      })();
    });
    const restore = useClient(wrapped.client);
    let seen: number[];
    try {
      const grant = changeConsents(t.tenant, ref, { consentClass: CLASS }, true, 'system');
      [seen] = await Promise.all([readWhile(grant), grant]);
    } finally {
      restore();
    }
    expect(wrapped.transactions()).toBeGreaterThanOrEqual(4); // chunks, the head, then the settling
    expect(probe.staged).toBeGreaterThan(0); // the first chunk is written ...
    expect(probe.granted).toBe(0); // ... and not seen
    expect(probe.dataRefused).toBe(true);
    expect(seen.length).toBeGreaterThan(0);
    expect(seen.every((n) => n === 0 || n === SIZE)).toBe(true);
    expect(await grantedInClass()).toBe(SIZE);
    const rows = await rawRows();
    expect(rows.filter((row) => row.granted === true && row.stagedHash === undefined)).toHaveLength(SIZE); // settled
    const reference = await getReference(t.tenant, ref);
    expect(reference?.historySeq).toBe(headBefore + 1);
    expect((reference as unknown as Record<string, unknown>).unsettled).toBeUndefined();
    const [entry] = await loadHistoryFrom(t.tenant, ref, headBefore + 1, 1);
    expect(entry).toMatchObject({ action: 'granted' });
    expect(entry.changes).toHaveLength(SIZE);
  }, 60_000);

  it('a revoke failing after its first chunk leaves nothing observable (consents, keys, history); done again, it is whole', async () => {
    const headBefore = (await getReference(t.tenant, ref))!.historySeq;
    const keysBefore = (await keyRows(t.tenant, ref)).filter((sk) => sk.startsWith('SCHEMAKEY#https://example.test/')).length;
    expect(keysBefore).toBe(SIZE);
    let firstChunk: string[] = [];
    const wrapped = afterFirstChunk(async (schemas) => {
      firstChunk = schemas;
    }, true);
    const restore = useClient(wrapped.client);
    try {
      await expect(changeConsents(t.tenant, ref, { consentClass: CLASS }, false, 'system')).rejects.toMatchObject({ name: 'InjectedFault' });
    } finally {
      restore();
    }
    // The staged revoke is on the rows of the first chunk, and counts for nobody.
    expect(firstChunk.length).toBeGreaterThan(0);
    const staged = (await rawRows()).filter((row) => row.stagedGranted === false);
    expect(staged.map((row) => row.schema).sort()).toEqual([...firstChunk].sort());
    expect(await grantedInClass()).toBe(SIZE);
    expect((await getReference(t.tenant, ref))!.historySeq).toBe(headBefore);
    expect(requireCurrentGrant(await readConsentRows(t.tenant, ref, firstChunk[0]), ref, firstChunk[0])).toEqual(expect.any(String));
    expect((await keyRows(t.tenant, ref)).filter((sk) => sk.startsWith('SCHEMAKEY#https://example.test/'))).toHaveLength(SIZE);

    // The revoke done again: readers see all or nothing, and afterwards every key of the class is destroyed.
    const revoke = changeConsents(t.tenant, ref, { consentClass: CLASS }, false, 'system');
    const [seen] = await Promise.all([readWhile(revoke), revoke]);
    expect(seen.every((n) => n === 0 || n === SIZE)).toBe(true);
    expect(await grantedInClass()).toBe(0);
    expect((await keyRows(t.tenant, ref)).filter((sk) => sk.startsWith('SCHEMAKEY#https://example.test/'))).toEqual([]);
    expect((await rawRows()).filter((row) => row.stagedHash !== undefined || row.granted !== false)).toEqual([]);
    const [entry] = await loadHistoryFrom(t.tenant, ref, headBefore + 1, 1);
    expect(entry).toMatchObject({ action: 'revoked' });
    expect(entry.changes).toHaveLength(SIZE);
  }, 60_000);

  /**
   * A client failing every write after the head's commit (the transaction that adds the change to
   * `unsettled`): settling cannot be made to fail otherwise (it runs right after the commit).
   */
  function failingAfterCommit() {
    const real = dynamoClient();
    let committed = false;
    let refused = 0;
    const client: TableClient = {
      send: (async (command: Command) => {
        const name = command.constructor.name;
        if (committed && (name === 'TransactWriteCommand' || name === 'UpdateCommand' || name === 'DeleteCommand')) {
          refused++;
          throw Object.assign(new Error('injected: settling fails'), { name: 'InjectedFault' });
        }
        const result = await real.send(command as never);
        const items = (command.input.TransactItems ?? []) as Array<{ Update?: { UpdateExpression?: string } }>;
        if (items.some((item) => item.Update?.UpdateExpression?.includes('ADD unsettled'))) committed = true;
        return result;
      }) as TableClient['send'],
    };
    return { client, refused: () => refused };
  }

  const classKeys = async () => (await keyRows(t.tenant, ref)).filter((sk) => sk.startsWith('SCHEMAKEY#https://example.test/'));
  const unsettledOf = async () => (await getReference(t.tenant, ref)) as unknown as { unsettled?: Set<string> };
  /** The sweeper's run as the schedule would do it once the changes are stale, held to this test's tenant. */
  const sweepNow = () => sweepStagedChanges({ now: new Date(Date.now() + 60 * 60_000), tenant: t.tenant });

  it('a grant whose settling fails after the commit answers as done (no error), and the sweeper settles it', async () => {
    expect(await grantedInClass()).toBe(0);
    const wrapped = failingAfterCommit();
    const restore = useClient(wrapped.client);
    try {
      await expect(changeConsents(t.tenant, ref, { consentClass: CLASS }, true, 'system')).resolves.toEqual(expect.anything());
    } finally {
      restore();
    }
    expect(wrapped.refused()).toBeGreaterThan(0);
    expect(await grantedInClass()).toBe(SIZE); // committed: every reader counts it
    expect((await rawRows()).filter((row) => row.stagedHash !== undefined)).toHaveLength(SIZE); // not settled
    expect((await unsettledOf()).unsettled?.size).toBe(1);

    // Settles it (and clears the task the failed revoke above left: its head never committed).
    expect((await sweepNow()).settled).toBe(1);
    expect((await rawRows()).filter((row) => row.granted === true && row.stagedHash === undefined)).toHaveLength(SIZE);
    expect((await unsettledOf()).unsettled).toBeUndefined();
    expect(await grantedInClass()).toBe(SIZE);
    expect(await sweepNow()).toMatchObject({ settled: 0, rolledBack: 0 }); // nothing left
  }, 60_000);

  it('a revoke whose settling fails answers as done, its keys stay until the sweeper settles it and destroys them', async () => {
    expect(await classKeys()).toHaveLength(SIZE);
    const wrapped = failingAfterCommit();
    const restore = useClient(wrapped.client);
    try {
      await expect(changeConsents(t.tenant, ref, { consentClass: CLASS }, false, 'system')).resolves.toEqual(expect.anything());
    } finally {
      restore();
    }
    expect(await grantedInClass()).toBe(0);
    expect(await classKeys()).toHaveLength(SIZE); // shredding delayed ...
    // Sweeps at once (a schedule may run twice): every write is conditional, lost races are tried again, so
    // they settle it together; a sweep that still failed (here: connections timing out on a loaded machine)
    // leaves the change to the next one, which finds it whole or finished.
    const sweeps = await Promise.all(Array.from({ length: 4 }, () => sweepNow()));
    expect(sweeps.some((outcome) => outcome.settled === 1)).toBe(true);
    if (sweeps.some((outcome) => outcome.failed > 0)) expect((await sweepNow()).failed).toBe(0);
    expect(await classKeys()).toEqual([]); // ... and done by the sweeper
    expect((await rawRows()).filter((row) => row.stagedHash !== undefined || row.granted !== false)).toEqual([]);
    expect((await unsettledOf()).unsettled).toBeUndefined();
  }, 60_000);

  it('a grant failing before its commit is rolled back by the sweeper: no staged values, no keys bound to blobs nobody holds', async () => {
    const headBefore = (await getReference(t.tenant, ref))!.historySeq;
    const wrapped = afterFirstChunk(async () => undefined, true);
    const restore = useClient(wrapped.client);
    try {
      await expect(changeConsents(t.tenant, ref, { consentClass: CLASS }, true, 'system')).rejects.toMatchObject({ name: 'InjectedFault' });
    } finally {
      restore();
    }
    expect(await grantedInClass()).toBe(0);
    const orphanKeys = (await classKeys()).length;
    expect(orphanKeys).toBeGreaterThan(0); // the first chunk's new schema keys
    expect((await rawRows()).filter((row) => row.stagedHash !== undefined).length).toBeGreaterThan(0);

    expect(await sweepNow()).toMatchObject({ settled: 0, rolledBack: 1 });
    expect(await classKeys()).toEqual([]);
    expect((await rawRows()).filter((row) => row.stagedHash !== undefined || row.granted !== false)).toEqual([]);
    expect((await getReference(t.tenant, ref))!.historySeq).toBe(headBefore);
    expect(await grantedInClass()).toBe(0);
  }, 60_000);
});
