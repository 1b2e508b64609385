import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { historyKey } from '../../../shared/consent/keys.js';
import { call, tableNames, testDynamo } from '../../support/api.js';
import { activeReference, BASE, tenantWithMetamodel, type TestTenant } from './support.js';

let t: TestTenant;
beforeAll(async () => {
  t = await tenantWithMetamodel('hist');
});

const history = (ref: string, token: string) => call('GET', `${BASE}/${t.tenant}/consents/${ref}/history`, { token });

describe('the tamper-evident consent history', () => {
  it('records who changed which schemas from what to what, and verifies', async () => {
    const token = await t.guest('g-hist-1');
    const { ref } = await activeReference(t, token);
    await call('PUT', `${BASE}/${t.tenant}/consents/${ref}/classes/CartEvents`, { token, body: { granted: false } });
    const response = await history(ref, token);
    expect(response.status).toBe(200);
    expect(response.body.verification).toEqual({ valid: true, entries: 2 });
    const [created, revoked] = response.body.entries;
    expect(created).toMatchObject({ seq: 1, action: 'created', actor: { kind: 'system' } });
    expect(revoked).toMatchObject({ seq: 2, action: 'revoked', actor: { kind: 'guest', sub: 'g-hist-1' }, prevHash: created.hash });
    expect(revoked.changes.map((c: { to: boolean; from: boolean }) => [c.from, c.to])).toEqual([[true, false], [true, false]]);
    expect(Date.parse(revoked.at)).not.toBeNaN();
  });

  it('detects an edit of any stored entry', async () => {
    const token = await t.guest('g-hist-2');
    const { ref } = await activeReference(t, token);
    await call('PUT', `${BASE}/${t.tenant}/consents/${ref}/classes/CartEvents`, { token, body: { granted: false } });
    await call('PUT', `${BASE}/${t.tenant}/consents/${ref}/classes/CartEvents`, { token, body: { granted: true } });
    expect((await history(ref, token)).body.verification.valid).toBe(true);
    await testDynamo().send(new UpdateCommand({
      TableName: tableNames.data,
      Key: historyKey(t.tenant, ref, 2),
      UpdateExpression: 'SET actor = :actor',
      ExpressionAttributeValues: { ':actor': { kind: 'tenant', sub: 'someone-else' } },
    }));
    const tampered = (await history(ref, token)).body.verification;
    expect(tampered).toMatchObject({ valid: false, brokenAt: 2 });
  });

  it('50 concurrent grant/revoke calls on one class lose no update: final state and history agree', async () => {
    const token = await t.guest('g-hist-3');
    const { ref } = await activeReference(t, token);
    const path = `${BASE}/${t.tenant}/consents/${ref}/classes/CartEvents`;
    const answers = await Promise.all(
      Array.from({ length: 50 }, (_, i) => call('PUT', path, { token, body: { granted: i % 2 === 0 } })),
    );
    for (const answer of answers) expect([200, 409]).toContain(answer.status);
    expect(answers.filter((a) => a.status === 200).length).toBeGreaterThan(0);
    const final = (await call('GET', path, { token })).body as Array<{ schema: string; granted: boolean; grantBlob: string | null }>;
    const log = (await history(ref, token)).body;
    expect(log.verification.valid).toBe(true);
    for (const consent of final) {
      const last = [...log.entries].reverse().flatMap((e: { changes: Array<{ schema: string; to: boolean }> }) => e.changes)
        .find((c: { schema: string }) => c.schema === consent.schema);
      expect(last?.to).toBe(consent.granted);
      expect(consent.grantBlob === null).toBe(!consent.granted);
    }
    // Every recorded change flips the previous state: no two grants (or revokes) in a row.
    const states = log.entries.flatMap((e: { changes: Array<{ schema: string; from: boolean; to: boolean }> }) => e.changes.filter((c) => c.schema === final[0].schema));
    for (let i = 1; i < states.length; i++) expect(states[i].from).toBe(states[i - 1].to);
  });
});
