import { isIPv4, isIPv6 } from 'node:net';

/**
 * Envoy's `Network::Utility::isInternalAddress`: RFC 1918 IPv4 space and 127.0.0.1, RFC 4193 IPv6
 * unique-local space (fd00::/8) and ::1. IPv4-mapped IPv6 addresses are judged by their IPv4 part.
 */
export function isInternalAddress(address: string): boolean {
  let ip = address;
  if (ip.startsWith('::ffff:') && isIPv4(ip.slice(7))) ip = ip.slice(7);
  if (isIPv4(ip)) {
    const dot1 = ip.indexOf('.');
    const a = Number(ip.slice(0, dot1));
    const b = Number(ip.slice(dot1 + 1, ip.indexOf('.', dot1 + 1)));
    return a === 10 || (a === 192 && b === 168) || (a === 172 && b >= 16 && b <= 31) || ip === '127.0.0.1';
  }
  if (isIPv6(ip)) {
    const lower = ip.toLowerCase();
    return lower === '::1' || lower.startsWith('fd');
  }
  return false;
}
