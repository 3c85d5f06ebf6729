import { BlockList, isIP } from 'node:net';

const LOOPBACK = new BlockList();

LOOPBACK.addSubnet('127.0.0.0', 8, 'ipv4');
LOOPBACK.addAddress('::1', 'ipv6');

/**
 * Checks whether listening on `host` keeps the service reachable from this machine
 * only: `localhost`, 127.0.0.0/8 or ::1, IPv4-mapped forms included. Any
 * other host name counts as reachable from outside, because its address is
 * only known after a DNS lookup (`127.example.com` need not be loopback).
 */
export function isLoopbackHost(host: string): boolean {
  const address = host.replace(/^\[(.*)\]$/, '$1');

  if (address.toLowerCase() === 'localhost') return true;

  const family = isIP(address);

  if (family === 0) return false;

  return LOOPBACK.check(address, family === 6 ? 'ipv6' : 'ipv4');
}
