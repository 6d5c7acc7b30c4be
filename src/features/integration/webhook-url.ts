import dns from 'node:dns';
import { BlockList, isIP } from 'node:net';
import { invalidInput } from '../../errors.ts';

/**
 * What a webhook URL may point at. lapor calls it from inside the government's network, so a
 * URL must not turn lapor into a way into that network (SSRF): http(s) only, no credentials, and
 * — unless WEBHOOK_ALLOW_PRIVATE is set, for tests and labs — no address that is private,
 * loopback, link-local, shared (CGNAT), multicast, reserved or documentation-only, whether it is
 * written in the URL or is what the name resolves to. The sender checks again at every delivery,
 * on the address it connects to (webhook-sender.ts), so a name that later resolves elsewhere
 * (DNS rebinding) is refused too.
 */

const BLOCKED = new BlockList();
for (const [net, bits] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.88.99.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const) {
  BLOCKED.addSubnet(net, bits, 'ipv4');
}
for (const [net, bits] of [
  // unspecified, loopback, and the old IPv4-compatible ::a.b.c.d
  ['::', 96],
  ['::1', 128],
  // NAT64 addresses reach IPv4 hosts: refused whatever they map to (IPv4-mapped ones below)
  ['64:ff9b::', 96],
  ['64:ff9b:1::', 48],
  ['100::', 64],
  ['2001:db8::', 32],
  ['fc00::', 7],
  ['fe80::', 10],
  ['fec0::', 10],
  ['ff00::', 8],
] as const) {
  BLOCKED.addSubnet(net, bits, 'ipv6');
}

/** Whether an IP address is one a webhook may not reach (outside tests). */
export function isBlockedAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 0) return true;
  // ::ffff:a.b.c.d (or ::ffff:7f00:1) is an IPv4 host: refused whatever it maps to. (A BlockList
  // rule for ::ffff:0:0/96 would also match every plain IPv4 address.)
  if (family === 6) {
    const normal = URL.parse(`http://[${address}]/`)?.hostname.slice(1, -1);
    if (normal === undefined || /^::ffff:[0-9a-f]{1,4}:[0-9a-f]{1,4}$/.test(normal)) return true;
  }
  return BLOCKED.check(address, family === 4 ? 'ipv4' : 'ipv6');
}

export const MAX_WEBHOOK_URL = 2000;

const refuse = (message: string) => invalidInput({ url: message });

/**
 * Checks a webhook URL as an app or an admin gives it, and returns it normalised. Names are
 * resolved: a name none of whose addresses may be reached is refused now rather than at every
 * delivery.
 */
export async function checkWebhookUrl(text: string, options: { allowPrivate: boolean }): Promise<string> {
  const value = text.trim();
  if (value.length === 0) throw refuse('Wajib diisi / Required');
  if (value.length > MAX_WEBHOOK_URL) throw refuse(`Paling banyak ${MAX_WEBHOOK_URL} karakter / At most ${MAX_WEBHOOK_URL} characters`);
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw refuse(
      'Bukan URL yang lengkap, mis. https://app.example.go.id/lapor/webhook / Not an absolute URL, e.g. https://app.example.go.id/lapor/webhook',
    );
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw refuse('Harus http:// atau https:// / Must be http:// or https://');
  if (url.username || url.password) {
    throw refuse('Tanpa nama pengguna atau kata sandi di URL / No user name or password in the URL');
  }
  url.hash = '';
  if (options.allowPrivate) return url.toString();
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1').toLowerCase();
  const privateMessage = 'Alamat jaringan internal tidak diizinkan / Private, loopback and internal addresses are not allowed';
  if (host === 'localhost' || host.endsWith('.localhost') || host.endsWith('.local') || host.endsWith('.internal'))
    throw refuse(privateMessage);
  if (isIP(host) !== 0) {
    if (isBlockedAddress(host)) throw refuse(privateMessage);
    return url.toString();
  }
  let addresses: dns.LookupAddress[];
  try {
    addresses = await dns.promises.lookup(host, { all: true, verbatim: true });
  } catch {
    throw refuse('Nama host tidak ditemukan / The host name does not resolve');
  }
  if (addresses.length === 0 || addresses.some((a) => isBlockedAddress(a.address))) throw refuse(privateMessage);
  return url.toString();
}
