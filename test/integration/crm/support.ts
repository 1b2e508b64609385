import { signatureHeader } from '../../../shared/notifications/signing.js';
import { CRM_READ, NOTIFICATIONS_MANAGE, scopeClaim } from '../../../shared/platform/scopes.js';
import { type ApiResponse, call, tokenFor } from '../../support/api.js';
import { type Receiver, startReceiver } from '../notifications/support.js';

/** A partner's CRM side as a test drives it: its token, its pull calls, and its signing secret. */
export const crmToken = (tenant: string, partner: string, scope = scopeClaim(CRM_READ, NOTIFICATIONS_MANAGE)) =>
  tokenFor({ principal: 'partner', tenant, partner, sub: `crm-${partner}`, scope });

export const pull = async (tenant: string, partner: string, path: string): Promise<ApiResponse> =>
  call('GET', `/profile/v1/crm${path}`, { token: await crmToken(tenant, partner) });

/** Registers a receiver for the partner (N1's subscriptions API) and answers its signing secret. */
export async function subscribedSecret(tenant: string, partner: string, receivers: Receiver[]): Promise<string> {
  const hook = await startReceiver();
  receivers.push(hook);
  const response = await call('POST', '/profile/v1/subscriptions', { token: await crmToken(tenant, partner), body: { url: hook.url, entityTypes: ['PartnerData'] } });
  if (response.status !== 201) throw new Error(`subscribe: ${response.status} ${response.text}`);
  return (response.body as { secret: string }).secret;
}

export const nowSeconds = () => Math.floor(Date.now() / 1000);

/** `POST /crm/purges/{id}/acknowledgement` with the body signed as given (`header` overrides the signature). */
export async function acknowledge(tenant: string, partner: string, purgeId: string, options: { secret?: string; at?: number; header?: string | null; body?: string } = {}) {
  const body = options.body ?? JSON.stringify({ purgeId });
  const header = options.header === null ? undefined : (options.header ?? signatureHeader([options.secret!], options.at ?? nowSeconds(), body));
  return call('POST', `/profile/v1/crm/purges/${purgeId}/acknowledgement`, {
    token: await crmToken(tenant, partner),
    rawBody: body,
    headers: header ? { 'mydata-signature': header } : {},
  });
}
