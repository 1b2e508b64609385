import { randomBytes } from 'node:crypto';
import { call, systemToken, tokenFor, uniqueTenant } from '../../support/api.js';
import { CONSENT_MANAGE, CONSENT_VIEW } from '../../../shared/platform/scopes.js';

const prefix = `Zz${randomBytes(3).toString('hex')}`;
const names = [`${prefix}B`, `${prefix}A`, `${prefix}C`];

async function listAll(sort: string): Promise<string[]> {
  const token = await tokenFor({ principal: 'guest', tenant: uniqueTenant(), scope: CONSENT_VIEW });
  const response = await call('GET', `/profile-consent/v1/consentClasses?pageSize=1000&sort=${sort}`, { token });
  expect(response.status).toBe(200);
  return response.body.map((entry: { class: string }) => entry.class);
}

describe('consent class dictionary', () => {
  beforeAll(async () => {
    const token = await systemToken();
    for (const name of names) {
      const response = await call('PUT', `/admin/v1/consentClasses/${name}`, {
        token,
        body: { title: `Title ${name}`, description: `About ${name}` },
      });
      expect(response.status).toBe(201);
    }
  });

  it('lists the classes sorted ascending by default and descending on request, in the seed shape', async () => {
    const token = await tokenFor({ principal: 'guest', tenant: uniqueTenant(), scope: CONSENT_VIEW });
    const response = await call('GET', '/profile-consent/v1/consentClasses?pageSize=1000', { token });
    const ours = response.body.filter((entry: { class: string }) => entry.class.startsWith(prefix));
    expect(ours).toEqual([
      { class: `${prefix}A`, title: `Title ${prefix}A`, description: `About ${prefix}A`, editable: true, enabled: true },
      { class: `${prefix}B`, title: `Title ${prefix}B`, description: `About ${prefix}B`, editable: true, enabled: true },
      { class: `${prefix}C`, title: `Title ${prefix}C`, description: `About ${prefix}C`, editable: true, enabled: true },
    ]);
    const descending = (await listAll('class:desc')).filter((name) => name.startsWith(prefix));
    expect(descending).toEqual([`${prefix}C`, `${prefix}B`, `${prefix}A`]);
  });

  it('pages with pageSize and pageNumber (from 1), 16 entries by default', async () => {
    const all = await listAll('class:asc');
    const token = await tokenFor({ principal: 'guest', tenant: uniqueTenant(), scope: CONSENT_VIEW });
    const second = await call('GET', '/profile-consent/v1/consentClasses?pageSize=2&pageNumber=2', { token });
    expect(second.body.map((entry: { class: string }) => entry.class)).toEqual(all.slice(2, 4));
    const byDefault = await call('GET', '/profile-consent/v1/consentClasses', { token });
    expect(byDefault.body).toHaveLength(Math.min(16, all.length));
    expect(Number(byDefault.headers.get('x-total-count'))).toBeGreaterThanOrEqual(all.length);
  });

  it('updates an existing class (200) and rejects bad paging or sort values (400)', async () => {
    const token = await systemToken();
    const update = await call('PUT', `/admin/v1/consentClasses/${names[0]}`, { token, body: { title: 'Renamed', enabled: false } });
    expect(update.status).toBe(200);
    expect(update.body).toMatchObject({ class: names[0], title: 'Renamed', enabled: false });
    for (const query of ['pageSize=0', 'pageNumber=-1', 'pageSize=abc', 'sort=name:asc', 'sort=title:up']) {
      const response = await call('GET', `/profile-consent/v1/consentClasses?${query}`, { token });
      expect(response.status).toBe(400);
      expect(response.body.message).toMatch(/query\./);
    }
  });

  it('is maintained by the platform operator only', async () => {
    const token = await tokenFor({ principal: 'tenant', tenant: uniqueTenant(), scope: CONSENT_MANAGE });
    const response = await call('PUT', `/admin/v1/consentClasses/${prefix}X`, { token, body: { title: 'x' } });
    expect(response.status).toBe(403);
  });
});
