import { GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { expectInCatalogue } from '../../support/event-catalogue.js';
import { busEvents, call, onboardTenant, systemToken, tableNames, testDynamo, tokenFor, uniqueTenant, waitFor } from '../../support/api.js';
import { CONSENT_MANAGE } from '../../../shared/platform/scopes.js';

const adminBody = (tenant: string) => ({
  name: `Tenant ${tenant}`,
  rootPartner: { name: 'Root GmbH' },
  administrator: { vorname: 'Ada', nachname: 'Admin', email: `admin@${tenant}.example` },
});

describe('tenant onboarding (PUT /admin/v1/tenants/{tenant})', () => {
  it('creates the tenant, answers its partner ids, and is idempotent', async () => {
    const tenant = uniqueTenant();
    const first = await call('PUT', `/admin/v1/tenants/${tenant}`, { token: await systemToken(), body: adminBody(tenant) });
    expect(first.status).toBe(201);
    expect(first.body).toEqual({
      tenant,
      rootPartnerId: expect.stringMatching(/^[A-Z]{3}\d{2}$/),
      administratorPartnerId: expect.stringMatching(/^[A-Z]{3}\d{2}$/),
    });
    expect(first.body.rootPartnerId).not.toBe(first.body.administratorPartnerId);

    const again = await call('PUT', `/admin/v1/tenants/${tenant}`, { token: await systemToken(), body: adminBody(tenant) });
    expect(again.status).toBe(200);
    expect(again.body).toEqual(first.body);
  });

  it('publishes TenantOnboarded through the outbox to a consumer on the bus (HTTP → Lambda → DynamoDB → stream → bus → consumer)', async () => {
    const tenant = uniqueTenant();
    const ids = await onboardTenant(tenant);
    const event = await waitFor(async () =>
      (await busEvents()).find((e) => e['detail-type'] === 'TenantOnboarded' && e.detail.tenant === tenant),
    );
    expect(event.source).toBe('mydata.platform');
    expect(event.detail).toMatchObject({ tenant, ...ids, eventId: expect.any(String), occurredAt: expect.any(String) });
    expectInCatalogue(event);

    const recorded = await waitFor(async () => {
      const result = await testDynamo().send(
        new QueryCommand({
          TableName: tableNames.data,
          KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
          ExpressionAttributeValues: { ':pk': `T#${tenant}`, ':prefix': 'ONBOARDING_LOG#' },
        }),
      );
      return result.Items?.length ? result.Items : undefined;
    });
    expect(recorded).toHaveLength(1);
    expect(recorded[0].detail.eventId).toBe(event.detail.eventId);
  });

  it('only the platform operator may onboard (403 for a tenant administrator), and nothing is written', async () => {
    const tenant = uniqueTenant();
    const token = await tokenFor({ principal: 'tenant', tenant, scope: CONSENT_MANAGE });
    const response = await call('PUT', `/admin/v1/tenants/${tenant}`, { token, body: adminBody(tenant) });
    expect(response.status).toBe(403);
    expect(response.body).toEqual(expect.objectContaining({ message: expect.any(String), traceId: expect.any(String) }));
    const stored = await testDynamo().send(new GetCommand({ TableName: tableNames.data, Key: { PK: `T#${tenant}`, SK: 'TENANT' } }));
    expect(stored.Item).toBeUndefined();
  });

  it('rejects an invalid body with the failing fields and writes nothing', async () => {
    const tenant = uniqueTenant();
    const response = await call('PUT', `/admin/v1/tenants/${tenant}`, {
      token: await systemToken(),
      body: { name: 'x', rootPartner: {}, administrator: { vorname: 'A', nachname: 'B', email: 'not-an-email' } },
    });
    expect(response.status).toBe(400);
    const fields = response.body.details.fields.map((f: { field: string }) => f.field);
    expect(fields).toEqual(expect.arrayContaining(['body.rootPartner.name', 'body.administrator.email']));
    const stored = await testDynamo().send(new GetCommand({ TableName: tableNames.data, Key: { PK: `T#${tenant}`, SK: 'TENANT' } }));
    expect(stored.Item).toBeUndefined();
  });

  it('rejects a malformed tenant name', async () => {
    const response = await call('PUT', '/admin/v1/tenants/Bad_Name!', { token: await systemToken(), body: adminBody('x') });
    expect(response.status).toBe(400);
    expect(response.body.details.fields[0].field).toBe('path.tenant');
  });
});
