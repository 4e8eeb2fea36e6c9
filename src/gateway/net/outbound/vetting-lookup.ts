import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import type { LookupFunction } from 'node:net';
import { isPublicAddress } from './address-policy.js';

/** Resolves a host name to every address it has (a stand-in for DNS in tests). */
export type Resolve = (hostname: string) => Promise<LookupAddress[]>;

const systemResolve: Resolve = (hostname) =>
  new Promise((resolve, reject) => dnsLookup(hostname, { all: true, verbatim: true }, (err, addresses) => (err ? reject(err) : resolve(addresses))));

/**
 * The lookup an outbound connection makes: the name is resolved once, every address is vetted (the
 * socket may try any of them, happy eyeballs), and the socket connects to those very addresses, so
 * a second DNS answer (rebinding) cannot redirect it. A refusal carries code GATEHOUSE_PRIVATE_ADDRESS.
 */
export function vettingLookup(allowPrivateNetworks: boolean, resolve: Resolve = systemResolve): LookupFunction {
  return (hostname, options, callback) => {
    resolve(hostname).then(
      (addresses) => {
        const refused = allowPrivateNetworks ? undefined : addresses.find((a) => !isPublicAddress(a.address));
        if (refused || addresses.length === 0) {
          const err = new Error(
            refused ? `${hostname} resolves to a non-public address (${refused.address})` : `${hostname} does not resolve`,
          ) as NodeJS.ErrnoException;
          err.code = refused ? 'GATEHOUSE_PRIVATE_ADDRESS' : 'ENOTFOUND';
          return callback(err, '', 0);
        }
        const wanted = options.family === 4 || options.family === 6 ? addresses.filter((a) => a.family === options.family) : addresses;
        if (options.all) return (callback as (e: null, a: LookupAddress[]) => void)(null, wanted);
        const first = wanted[0];
        if (!first) {
          const err = new Error(`${hostname} has no IPv${options.family} address`) as NodeJS.ErrnoException;
          err.code = 'ENOTFOUND';
          return callback(err, '', 0);
        }
        callback(null, first.address, first.family);
      },
      (err: NodeJS.ErrnoException) => callback(err, '', 0),
    );
  };
}
