import { parseArgs } from 'node:util';
import { loadIssuer } from './issuer.js';
import { CONSENT_MANAGE } from '../../shared/platform/scopes.js';

/**
 * `npm run --silent token -- --principal guest --tenant mycomicsshop --sub g-1 --scope "…"` prints one
 * signed token and nothing else.
 */
const { values } = parseArgs({
  options: {
    principal: { type: 'string' },
    tenant: { type: 'string' },
    sub: { type: 'string' },
    partner: { type: 'string' },
    client: { type: 'string' },
    scope: { type: 'string' },
    'given-name': { type: 'string' },
    'family-name': { type: 'string' },
    'expires-in': { type: 'string', default: '1h' },
  },
  strict: true,
});

const principals = ['guest', 'anonymous', 'partner', 'tenant', 'system'];
if (!values.principal || !principals.includes(values.principal)) {
  process.stderr.write(`--principal must be one of ${principals.join(', ')}\n`);
  process.exit(2);
}
if (values.principal !== 'system' && !values.tenant) {
  process.stderr.write('--tenant is required for every principal but system\n');
  process.exit(2);
}

if (values.principal === 'anonymous' && values.scope?.split(/\s+/).includes(CONSENT_MANAGE)) {
  process.stderr.write('anonymous tokens never carry profile_consent_manage\n');
  process.exit(2);
}

const claims: Record<string, string> = {
  principal: values.principal,
  sub: values.sub ?? `${values.principal}-${Math.random().toString(36).slice(2, 10)}`,
};
const optional: Array<[string, string | undefined]> = [
  ['tenant', values.tenant],
  ['partner_id', values.partner],
  ['client_id', values.client],
  ['scope', values.scope],
  ['given_name', values['given-name']],
  ['family_name', values['family-name']],
];
for (const [claim, value] of optional) if (value) claims[claim] = value;

const expiresIn = /^\d+$/.test(values['expires-in']!) ? `${values['expires-in']}s` : values['expires-in']!;
const issuer = await loadIssuer();
process.stdout.write(`${await issuer.sign(claims, expiresIn)}\n`);
