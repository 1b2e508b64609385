import { createHmac } from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import { signatureHeader, verifySignature } from '../../../shared/notifications/signing.js';

const body = '{"notice":"data.created","eventId":"e-1"}';
const NOW = 1_800_000_000;

describe('webhook signatures (Mydata-Signature)', () => {
  it('is t=<seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">, computable by any receiver', () => {
    const expected = createHmac('sha256', 'whsec_a').update(`${NOW}.${body}`).digest('hex');
    expect(signatureHeader(['whsec_a'], NOW, body)).toBe(`t=${NOW},v1=${expected}`);
  });

  it('carries one v1= per valid secret during a rotation, and either secret verifies it', () => {
    const header = signatureHeader(['whsec_new', 'whsec_old'], NOW, body);
    expect(header.match(/v1=/g)).toHaveLength(2);
    expect(verifySignature(header, body, ['whsec_old'], NOW)).toBe('valid');
    expect(verifySignature(header, body, ['whsec_new'], NOW)).toBe('valid');
    expect(verifySignature(header, body, ['whsec_other'], NOW)).toBe('invalid');
  });

  it('refuses a changed body, a missing header, a malformed one and a stale or future timestamp', () => {
    const header = signatureHeader(['s'], NOW, body);
    expect(verifySignature(header, `${body} `, ['s'], NOW)).toBe('invalid');
    expect(verifySignature(undefined, body, ['s'], NOW)).toBe('missing');
    expect(verifySignature('', body, ['s'], NOW)).toBe('missing');
    expect(verifySignature('v1=abc', body, ['s'], NOW)).toBe('invalid');
    expect(verifySignature(`t=${NOW}`, body, ['s'], NOW)).toBe('invalid');
    expect(verifySignature(`t=${NOW},t=${NOW},${header.split(',')[1]}`, body, ['s'], NOW)).toBe('invalid');
    expect(verifySignature(header, body, ['s'], NOW + 301)).toBe('stale');
    expect(verifySignature(header, body, ['s'], NOW - 301)).toBe('stale');
    expect(verifySignature(header, body, ['s'], NOW + 300)).toBe('valid');
    expect(verifySignature(header, body, ['s'], NOW + 30, 10)).toBe('stale');
  });

  it('binds the timestamp: a signature moved to another t= does not verify (no replay with a fresh time)', () => {
    const [, v1] = signatureHeader(['s'], NOW - 1000, body).split(',');
    expect(verifySignature(`t=${NOW},${v1}`, body, ['s'], NOW)).toBe('invalid');
  });

  it('ignores unknown schemes beside v1 (forward compatible) and refuses no secrets as invalid', () => {
    const header = `${signatureHeader(['s'], NOW, body)},v0=deadbeef`;
    expect(verifySignature(header, body, ['s'], NOW)).toBe('valid');
    expect(verifySignature(header, body, [], NOW)).toBe('invalid');
    expect(() => signatureHeader([], NOW, body)).toThrow(TypeError);
  });
});
