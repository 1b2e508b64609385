import { describe, expect, it } from '@jest/globals';
import { classifyAddress } from '../../../shared/notifications/addresses.js';

/**
 * Attack finding L4: the SSRF classifier let through special-purpose IPv6 ranges inside and outside global unicast
 * and the 6to4 relay anycast range of IPv4. IPv6 is public only inside 2000::/3 and outside the IANA
 * special-purpose ranges; every form that embeds an IPv4 address is refused.
 */
describe('addresses the attacker found reachable are refused', () => {
  it.each([
    // IPv4-translated (RFC 2765, ::ffff:0:0:0/96): embeds 10.0.0.1.
    ['::ffff:0:a00:1', 'embedded-ipv4'],
    ['::ffff:0:7f00:1', 'embedded-ipv4'],
    // Inside 2001::/23 (IETF protocol assignments): ORCHID, ORCHIDv2, benchmarking, AMT, anycast services.
    ['2001:10::1', 'reserved'],
    ['2001:1f::1', 'reserved'],
    ['2001:20::1', 'reserved'],
    ['2001:2f:ffff::1', 'reserved'],
    ['2001:2::1', 'reserved'],
    ['2001:1::1', 'reserved'],
    ['2001:3::1', 'reserved'],
    ['2001:1ff::1', 'reserved'],
    // Documentation (RFC 9637) and SRv6 SIDs (RFC 9602).
    ['3fff::1', 'reserved'],
    ['3fff:fff::1', 'reserved'],
    ['5f00::1', 'reserved'],
    // Outside global unicast 2000::/3 altogether.
    ['4000::1', 'reserved'],
    ['1::1', 'reserved'],
    ['e000::1', 'reserved'],
    // IPv4: the deprecated 6to4 relay anycast.
    ['192.88.99.1', 'reserved'],
  ])('%s is %s', (address, expected) => {
    expect(classifyAddress(address)).toBe(expected);
  });

  it.each(['2606:4700:4700::1111', '2a00:1450:4001:80b::200e', '2001:200::1', '3000::1', '3ffe::1', '2001:4860:4860::8888', '192.88.98.1', '192.88.100.1'])(
    '%s stays public',
    (address) => {
      expect(classifyAddress(address)).toBe('public');
    },
  );
});
