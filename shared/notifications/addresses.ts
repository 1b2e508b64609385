import { BlockList, isIP } from 'node:net';

/**
 * Which addresses a webhook may reach (decision 0403, docs/notifications.md): public unicast only. Each
 * refused range is named, so a registration's 400 says why. IPv4-mapped, IPv4-translated, IPv4-compatible,
 * NAT64, 6to4 and Teredo IPv6 addresses embed an IPv4 address the check would otherwise not see: refused as
 * a whole rather than decoded (no webhook needs them). IPv6 is public only inside global unicast 2000::/3 and
 * outside the IANA special-purpose ranges there: an allow-list, so a range added to the registry later is
 * at worst refused too late inside 2000::/3, never anything outside it (attack finding L4).
 */
export type AddressClass =
  | 'public'
  | 'loopback'
  | 'private'
  | 'link-local'
  | 'metadata'
  | 'carrier-grade-nat'
  | 'unique-local'
  | 'ipv4-mapped'
  | 'embedded-ipv4'
  | 'multicast'
  | 'reserved'
  | 'unspecified'
  | 'not-an-address';

const ranges: ReadonlyArray<readonly [Exclude<AddressClass, 'public' | 'not-an-address'>, 'ipv4' | 'ipv6', string, number]> = [
  // The cloud metadata services first, so they are named as such (they lie inside link-local and unique-local).
  ['metadata', 'ipv4', '169.254.169.254', 32],
  ['metadata', 'ipv4', '169.254.170.2', 32], // ECS task metadata
  ['metadata', 'ipv6', 'fd00:ec2::254', 128],
  ['unspecified', 'ipv4', '0.0.0.0', 8],
  ['loopback', 'ipv4', '127.0.0.0', 8],
  ['private', 'ipv4', '10.0.0.0', 8],
  ['private', 'ipv4', '172.16.0.0', 12],
  ['private', 'ipv4', '192.168.0.0', 16],
  ['carrier-grade-nat', 'ipv4', '100.64.0.0', 10],
  ['link-local', 'ipv4', '169.254.0.0', 16],
  ['reserved', 'ipv4', '192.0.0.0', 24], // IETF protocol assignments
  ['reserved', 'ipv4', '192.0.2.0', 24], // TEST-NET-1
  ['reserved', 'ipv4', '192.88.99.0', 24], // 6to4 relay anycast (deprecated, RFC 7526)
  ['reserved', 'ipv4', '198.18.0.0', 15], // benchmarking
  ['reserved', 'ipv4', '198.51.100.0', 24], // TEST-NET-2
  ['reserved', 'ipv4', '203.0.113.0', 24], // TEST-NET-3
  ['multicast', 'ipv4', '224.0.0.0', 4],
  ['reserved', 'ipv4', '240.0.0.0', 4], // includes 255.255.255.255
  ['unspecified', 'ipv6', '::', 128],
  ['loopback', 'ipv6', '::1', 128],
  ['ipv4-mapped', 'ipv6', '::ffff:0:0', 96],
  ['embedded-ipv4', 'ipv6', '::ffff:0:0:0', 96], // IPv4-translated (RFC 2765)
  ['embedded-ipv4', 'ipv6', '::', 96], // IPv4-compatible (deprecated)
  ['embedded-ipv4', 'ipv6', '64:ff9b::', 96], // NAT64
  ['embedded-ipv4', 'ipv6', '64:ff9b:1::', 48], // local-use NAT64
  ['embedded-ipv4', 'ipv6', '2002::', 16], // 6to4
  ['embedded-ipv4', 'ipv6', '2001::', 32], // Teredo
  ['reserved', 'ipv6', '2001::', 23], // IETF protocol assignments: benchmarking, ORCHID(v2), AMT, anycast services
  ['reserved', 'ipv6', '2620:4f:8000::', 48], // AS112 direct delegation
  ['reserved', 'ipv6', '3fff::', 20], // documentation (RFC 9637)
  ['reserved', 'ipv6', '5f00::', 16], // SRv6 SIDs (RFC 9602)
  ['reserved', 'ipv6', '100::', 64], // discard
  ['reserved', 'ipv6', '2001:db8::', 32], // documentation
  ['unique-local', 'ipv6', 'fc00::', 7],
  ['link-local', 'ipv6', 'fe80::', 10],
  ['reserved', 'ipv6', 'fec0::', 10], // site-local (deprecated)
  ['multicast', 'ipv6', 'ff00::', 8],
];

const lists = ranges.map(([name, family, network, prefix]) => {
  const list = new BlockList();
  list.addSubnet(network, prefix, family);
  return { name, family, list };
});

/** Global unicast: the only IPv6 space a webhook may reach at all. */
const globalUnicast = new BlockList();
globalUnicast.addSubnet('2000::', 3, 'ipv6');

/** Strips the brackets of an IPv6 literal in a URL host and an interface suffix (`fe80::1%eth0`). */
function bare(address: string): string {
  return address.replace(/^\[|\]$/g, '').replace(/%.*$/, '');
}

/** The class of one IP address (v4 or v6, a URL's bracketed form included); anything else is `not-an-address`. */
export function classifyAddress(address: string): AddressClass {
  const plain = bare(address);
  const version = isIP(plain);
  if (version === 0) return 'not-an-address';
  // A zone index (`%eth0`) only ever scopes a link-local address: refused whatever the address says.
  if (address.includes('%')) return 'link-local';
  const family = version === 4 ? 'ipv4' : 'ipv6';
  for (const { name, family: listFamily, list } of lists) {
    if (listFamily === family && list.check(plain, family)) return name;
  }
  if (family === 'ipv6' && !globalUnicast.check(plain, 'ipv6')) return 'reserved';
  return 'public';
}
