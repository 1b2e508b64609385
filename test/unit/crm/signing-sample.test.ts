import { execFileSync } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { verifySignature } from '../../../shared/notifications/signing.js';

/** docs/crm.md signs acknowledgements with Node and with openssl: both samples must verify as the API verifies them. */
const secret = 'whsec_docs-sample-secret';
const body = JSON.stringify({ purgeId: '3c1d7e2a-5b4f-4a6e-8c9d-0e1f2a3b4c5d' });
const t = Math.floor(Date.now() / 1000);

describe("the acknowledgement signing samples of docs/crm.md", () => {
  it('the Node sample verifies', () => {
    const v1 = createHmac('sha256', secret).update(`${t}.${body}`).digest('hex');
    expect(verifySignature(`t=${t},v1=${v1}`, body, [secret], t)).toBe('valid');
  });

  it('the openssl sample verifies, and fails with another secret', () => {
    const script = `printf '%s' "$T.$BODY" | openssl dgst -sha256 -hmac "$SECRET" -hex | sed 's/^.* //'`;
    const sig = execFileSync('sh', ['-c', script], { env: { ...process.env, T: String(t), BODY: body, SECRET: secret } }).toString().trim();
    expect(verifySignature(`t=${t},v1=${sig}`, body, [secret], t)).toBe('valid');
    expect(verifySignature(`t=${t},v1=${sig}`, body, ['whsec_other'], t)).toBe('invalid');
  });
});
