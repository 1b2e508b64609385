import { call } from '../../support/api.js';
import { profileWorld, type World } from '../profile/support.js';

/**
 * Attack finding M2: `GET /me/purges` lists the purges of every partner the guest left, so a partner app's guest
 * token must not read it (it would learn, e.g., that the guest left a competitor). Every guest-wide read of `/me…`
 * that spans partners answers an app token 403 `PlatformPagesOnly`, and the platform's own pages 200.
 */
let world: World;

beforeAll(async () => {
  world = await profileWorld();
});

describe("the guest's cross-partner views are for the platform's own pages", () => {
  for (const path of ['/me/purges', '/me/access', '/me/export']) {
    it(`answers GET ${path} through a partner app with 403 and on the platform's pages with 200`, async () => {
      const guest = await world.guest();
      const throughApp = await call('GET', `/profile/v1${path}`, { token: await guest.token() });
      expect({ status: throughApp.status, code: throughApp.body.code }).toEqual({ status: 403, code: 'PlatformPagesOnly' });
      const onPlatform = await call('GET', `/profile/v1${path}`, { token: await guest.token({ noPartner: true }) });
      expect(onPlatform.status).toBe(200);
    });
  }
});
