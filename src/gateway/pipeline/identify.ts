import type { X509Certificate } from 'node:crypto';
import { GatehouseError } from '../../core/index.js';
import { type CallerSlot, checkClientActive, checkIpAllowed, resolveCaller } from '../auth/caller.js';
import type { HeaderMap } from '../net/header-map.js';
import { resolveClientIp } from '../net/client-ip.js';
import { displayIp } from '../net/ip-matcher.js';
import type { CompiledProfile, Snapshot } from '../snapshot/types.js';
import type { GatewayCore } from './core.js';

/** Who a request comes from, resolved against one snapshot, before any call is made. */
export interface Identity {
  /** The snapshot the caller was resolved against; what the adapter shows must come from it too. */
  readonly snapshot: Snapshot;
  /** The caller's profile; null for an anonymous caller (who reaches only collections open to anonymous callers). */
  readonly profile: CompiledProfile | null;
  /** A credential (token, JWT or client certificate) was presented, as opposed to a `none` profile or nobody. */
  readonly credential: boolean;
  /** The caller's address (the socket peer, or the forwarded address when the peer is a trusted proxy). */
  readonly ip: string | null;
  /** The signed-in person the caller acts as (`user:<id>`), when an adapter knows one (Gateway MCP sign-in). */
  readonly subject?: string;
}

function admitsAnonymous(snapshot: Snapshot): boolean {
  for (const c of snapshot.collections.values()) if (c.published && c.allowAnonymous) return true;
  return false;
}

/**
 * Identifies a caller exactly as the REST pipeline does (the same resolution, client status and IP
 * allowlist), for adapters that identify once and then make calls or show the catalog: the
 * Gateway MCP and, later, virtual MCP servers. `peer` is the socket's remote address.
 */
export async function identify(
  core: GatewayCore,
  headers: HeaderMap,
  peer: string | null | undefined,
  clientCert: X509Certificate | null = null,
): Promise<Identity> {
  const snapshot = core.snapshots.current();
  const ip = callerIp(core, headers, peer);
  const slot: CallerSlot = { caller: null, credentialHeader: null, claims: null };
  const pending = resolveCaller(slot, snapshot, core.keys, headers, Date.now(), null, admitsAnonymous(snapshot), clientCert, false);
  if (pending) await pending;
  if (slot.caller) {
    checkClientActive(slot.caller);
    checkIpAllowed(slot.caller, ip);
  }
  return { snapshot, profile: slot.caller, credential: slot.credentialHeader !== null || clientCert !== null, ip };
}

/** The caller's address as every entry records it: the socket peer, or the forwarded address when the peer is a trusted proxy. */
export function callerIp(core: GatewayCore, headers: HeaderMap, peer: string | null | undefined): string | null {
  const shown = peer ? displayIp(peer) : null;
  return shown !== null ? resolveClientIp(shown, headers['x-forwarded-for'], core.trustedProxies) : null;
}

/**
 * A caller whose profile was settled by a sign-in (a Gateway MCP OAuth grant) rather than a gateway
 * credential: the profile must still exist in the live snapshot, its client be active and the
 * address allowed, exactly as for a credential.
 */
export function identifyAs(core: GatewayCore, profileId: string, headers: HeaderMap, peer: string | null | undefined): Identity {
  const snapshot = core.snapshots.current();
  const profile = snapshot.profiles.get(profileId);
  if (!profile) throw new GatehouseError('GATEHOUSE_CREDENTIAL_INVALID', 'The profile this sign-in acts as no longer exists.');
  const ip = callerIp(core, headers, peer);
  checkClientActive(profile);
  checkIpAllowed(profile, ip);
  return { snapshot, profile, credential: true, ip };
}

/** Per snapshot: the profiles that name each person on their sign-in list, in profile-id order. */
const signInIndex = new WeakMap<Snapshot, Map<string, CompiledProfile[]>>();

function profilesNaming(snapshot: Snapshot, name: string): readonly CompiledProfile[] {
  let index = signInIndex.get(snapshot);
  if (!index) {
    index = new Map();
    const sorted = [...snapshot.profiles.values()].sort((a, b) => (a.profile.id < b.profile.id ? -1 : a.profile.id > b.profile.id ? 1 : 0));
    for (const p of sorted) {
      // An oidc profile with IdP sign-in admits people of that IdP, not the gateway's own users (as for Gateway MCP sign-ins).
      if (p.profile.oidcSignIn) continue;
      for (const n of p.profile.signInUsers ?? []) {
        const list = index.get(n);
        if (list) {
          if (!list.includes(p)) list.push(p);
        } else index.set(n, [p]);
      }
    }
    signInIndex.set(snapshot, index);
  }
  return index.get(name) ?? [];
}

/**
 * The identities a person of the gateway (a virtual server's caller) may act as on REST: each profile
 * whose sign-in list names them (by any of `names`: id, username, a service account's client id), its
 * client active and the address allowed, in profile-id order. The same rule as a Gateway MCP sign-in.
 */
export function personIdentities(core: GatewayCore, names: readonly string[], ip: string | null, subject: string): Identity[] {
  const snapshot = core.snapshots.current();
  const seen = new Set<CompiledProfile>();
  const out: Identity[] = [];
  for (const name of names) {
    for (const profile of profilesNaming(snapshot, name)) {
      if (seen.has(profile)) continue;
      seen.add(profile);
      try {
        checkClientActive(profile);
        checkIpAllowed(profile, ip);
      } catch {
        continue;
      }
      out.push({ snapshot, profile, credential: true, ip, subject });
    }
  }
  return out.sort((a, b) => (a.profile!.profile.id < b.profile!.profile.id ? -1 : 1));
}
