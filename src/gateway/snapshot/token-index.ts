export const CREDENTIAL_ACTIVE = 0;
export const CREDENTIAL_ROTATED = 1;
export type CredentialStatus = typeof CREDENTIAL_ACTIVE | typeof CREDENTIAL_ROTATED;

const DIGEST = 32;
let built = 0;

// A digest is no secret (it is what gets stored), so a plain early-exit comparison is fine here; in
// JS it spares Buffer.compare's argument checks and native call on every authenticated request.
function sameDigest(digests: Buffer, off: number, digest: string): boolean {
  for (let k = 4; k < DIGEST; k++) if (digests[off + k] !== digest.charCodeAt(k)) return false;
  return true;
}

/** A credential as the index holds it, for changes applied on top of a built index: its owner named by slot key, not held. */
export interface TokenEntry {
  /** The profile that owns it and the client the credential was issued to (a profile moved to another client no longer matches). */
  profileId: string;
  clientId: string;
  status: CredentialStatus;
  expiresAt: number;
  graceUntil: number;
}

/** Credentials changed since the packed arrays were built: by digest, an entry, or null where one was removed. */
interface Overlay {
  slots: Map<string, number>;
  entries: { slot: number; status: CredentialStatus; expiresAt: number; graceUntil: number }[];
}

/** The profile a (profile id, client id) slot stands for, or undefined when it authenticates nobody. */
export type ResolveProfile<P> = (profileId: string, clientId: string) => P | undefined;

/**
 * The owners credentials refer to, by slot number: each slot names a profile and a client, and
 * holds what that resolves to in the snapshot. A profile, client or policy change re-resolves the
 * slots it touches; the packed credential arrays are never re-packed for it.
 */
class OwnerSlots {
  readonly profileIds: string[];
  readonly clientIds: string[];
  readonly byKey: Map<string, number>;
  readonly byProfile: Map<string, number[]>;
  constructor(profileIds: string[] = [], clientIds: string[] = []) {
    this.profileIds = profileIds;
    this.clientIds = clientIds;
    this.byKey = new Map();
    this.byProfile = new Map();
    for (let s = 0; s < profileIds.length; s++) this.#index(s);
  }
  #index(s: number): void {
    this.byKey.set(`${this.profileIds[s]}\n${this.clientIds[s]}`, s);
    const list = this.byProfile.get(this.profileIds[s]!);
    if (list) list.push(s);
    else this.byProfile.set(this.profileIds[s]!, [s]);
  }
  /** The slot of this owner, added when new (slots only grow; the snapshot's lifetime bounds them). */
  slot(profileId: string, clientId: string): number {
    const s = this.byKey.get(`${profileId}\n${clientId}`);
    if (s !== undefined) return s;
    this.profileIds.push(profileId);
    this.clientIds.push(clientId);
    this.#index(this.profileIds.length - 1);
    return this.profileIds.length - 1;
  }
}

/**
 * Token credentials by the sha256 of their token, packed: digests side by side in one Buffer,
 * an open-addressing table of slot numbers, and per-credential fields in typed arrays. 100,000
 * credentials take ~5.5 MB (~7 MB when they expire) instead of ~30 MB as a Map of hex strings to objects, and a lookup
 * allocates nothing beyond the caller's digest. Lookups take the digest as a latin1 string (one
 * character per byte): `crypto.hash` returns that ~3× faster than a Buffer, whose backing store
 * is a native allocation per call.
 */
export class TokenIndex<P> {
  readonly size: number;
  /** Unique per index built: lets a cache name the index it saw without keeping it alive. */
  readonly generation = ++built;
  readonly #digests: Buffer;
  readonly #slots: Int32Array;
  readonly #mask: number;
  readonly #owners: OwnerSlots;
  readonly #profiles: readonly (P | undefined)[];
  readonly #profileOf: Uint32Array;
  readonly #status: Uint8Array;
  /** Null when no packed credential expires (or is in a grace period): 0.8 MB per 100,000 not held for a value they all share. */
  readonly #expiresAt: Float64Array | null;
  readonly #graceUntil: Float64Array | null;
  readonly #overlay: Overlay | null;

  /** @internal Built by TokenIndexBuilder (or `withChanges`/`withProfiles`, which share the packed arrays and slots). */
  constructor(parts: {
    size: number;
    digests: Buffer;
    owners: OwnerSlots;
    profiles: readonly (P | undefined)[];
    profileOf: Uint32Array;
    status: Uint8Array;
    expiresAt: Float64Array | null;
    graceUntil: Float64Array | null;
    slots?: Int32Array;
    overlay?: Overlay | null;
  }) {
    this.size = parts.size;
    this.#digests = parts.digests;
    this.#owners = parts.owners;
    this.#profiles = parts.profiles;
    this.#profileOf = parts.profileOf;
    this.#status = parts.status;
    this.#expiresAt = parts.expiresAt;
    this.#graceUntil = parts.graceUntil;
    this.#overlay = parts.overlay ?? null;
    if (parts.slots) {
      this.#slots = parts.slots;
      this.#mask = parts.slots.length - 1;
      return;
    }
    // At most half full, so probes stay short; a power of two, so the slot is a mask of the digest's first word.
    let capacity = 16;
    while (capacity < parts.size * 2) capacity *= 2;
    this.#slots = new Int32Array(capacity);
    this.#mask = capacity - 1;
    for (let i = 0; i < parts.size; i++) this.#insert(i);
  }

  /**
   * A new index with these credentials added, replaced (by digest) or removed (null), sharing
   * this one's packed arrays: a revocation or a new token among 100,000 costs a map entry, not a
   * rebuild. Digests are 32-byte latin1 strings, as `find` takes them.
   */
  withChanges(changes: ReadonlyMap<string, TokenEntry | null>, resolve: ResolveProfile<P>): TokenIndex<P> {
    const slots = new Map(this.#overlay?.slots);
    const entries = [...(this.#overlay?.entries ?? [])];
    let profiles = this.#profiles;
    for (const [digest, entry] of changes) {
      if (entry === null) {
        slots.set(digest, -1);
        continue;
      }
      const before = this.#owners.profileIds.length;
      const slot = this.#owners.slot(entry.profileId, entry.clientId);
      if (slot >= before) {
        if (profiles === this.#profiles) profiles = [...profiles];
        (profiles as (P | undefined)[])[slot] = resolve(entry.profileId, entry.clientId);
      }
      slots.set(digest, this.size + entries.length);
      entries.push({ slot, status: entry.status, expiresAt: entry.expiresAt, graceUntil: entry.graceUntil });
    }
    return this.#with(profiles, { slots, entries });
  }

  /** A new index whose slots for these profile ids are resolved again (a profile, its client or its policy changed); nothing is re-packed. */
  withProfiles(profileIds: Iterable<string>, resolve: ResolveProfile<P>): TokenIndex<P> {
    let profiles: (P | undefined)[] | null = null;
    for (const id of profileIds) {
      const owned = this.#owners.byProfile.get(id);
      if (!owned) continue;
      profiles ??= [...this.#profiles];
      for (const s of owned) profiles[s] = resolve(id, this.#owners.clientIds[s]!);
    }
    return profiles === null ? this : this.#with(profiles, this.#overlay);
  }

  #with(profiles: readonly (P | undefined)[], overlay: Overlay | null): TokenIndex<P> {
    return new TokenIndex({
      size: this.size,
      digests: this.#digests,
      owners: this.#owners,
      profiles,
      profileOf: this.#profileOf,
      status: this.#status,
      expiresAt: this.#expiresAt,
      graceUntil: this.#graceUntil,
      slots: this.#slots,
      overlay,
    });
  }

  /** Credentials changed on top of the packed arrays since they were built. */
  get changed(): number {
    return this.#overlay?.slots.size ?? 0;
  }

  #insert(i: number): void {
    const digests = this.#digests;
    const off = i * DIGEST;
    for (let s = digests.readUInt32LE(off) & this.#mask; ; s = (s + 1) & this.#mask) {
      const at = this.#slots[s]!;
      // A repeated digest keeps the later credential, as a Map would.
      if (at === 0 || digests.compare(digests, off, off + DIGEST, (at - 1) * DIGEST, at * DIGEST) === 0) {
        this.#slots[s] = i + 1;
        return;
      }
    }
  }

  /** The credential whose token has this sha256 digest (32 bytes as a latin1 string), or -1. */
  find(digest: string): number {
    if (digest.length !== DIGEST) return -1;
    if (this.#overlay !== null) {
      const changed = this.#overlay.slots.get(digest);
      if (changed !== undefined) return changed;
    }
    const digests = this.#digests;
    const first = (digest.charCodeAt(0) | (digest.charCodeAt(1) << 8) | (digest.charCodeAt(2) << 16) | (digest.charCodeAt(3) << 24)) >>> 0;
    for (let s = first & this.#mask; ; s = (s + 1) & this.#mask) {
      const at = this.#slots[s]!;
      if (at === 0) return -1;
      const off = (at - 1) * DIGEST;
      if (digests.readUInt32LE(off) === first && sameDigest(digests, off, digest)) return at - 1;
    }
  }

  /** Bytes held in buffers and typed arrays (the profiles themselves are shared with the snapshot). */
  get byteLength(): number {
    return (
      this.#digests.byteLength +
      this.#slots.byteLength +
      this.#profileOf.byteLength +
      this.#status.byteLength +
      (this.#expiresAt?.byteLength ?? 0) +
      (this.#graceUntil?.byteLength ?? 0)
    );
  }

  /** The profile of credential `i` (from find); undefined when its profile is gone or no longer its client's. */
  profile(i: number): P | undefined {
    if (i >= this.size) return this.#profiles[this.#overlay!.entries[i - this.size]!.slot];
    return this.#profiles[this.#profileOf[i]!];
  }

  /** Whether credential `i` is active or rotated. */
  status(i: number): CredentialStatus {
    if (i >= this.size) return this.#overlay!.entries[i - this.size]!.status;
    return this.#status[i] as CredentialStatus;
  }

  /** Epoch ms; Infinity when it never expires. */
  expiresAt(i: number): number {
    if (i >= this.size) return this.#overlay!.entries[i - this.size]!.expiresAt;
    return this.#expiresAt === null ? Number.POSITIVE_INFINITY : this.#expiresAt[i]!;
  }

  /** Epoch ms after which a rotated credential stops working. */
  graceUntil(i: number): number {
    if (i >= this.size) return this.#overlay!.entries[i - this.size]!.graceUntil;
    return this.#graceUntil === null ? Number.POSITIVE_INFINITY : this.#graceUntil[i]!;
  }
}

/** Collects credentials (e.g. page by page from the database) into a TokenIndex. */
export class TokenIndexBuilder<P> {
  #size = 0;
  #capacity: number;
  #digests: Buffer;
  #profileOf: Uint32Array;
  #status: Uint8Array;
  // Allocated at the first credential with a finite value (the ones before it get Infinity).
  #expiresAt: Float64Array | null = null;
  #graceUntil: Float64Array | null = null;
  readonly #owners = new OwnerSlots();

  /** `expected` sizes the arrays once; more credentials than that still fit (the arrays grow). */
  constructor(expected = 1024) {
    this.#capacity = Math.max(expected, 16);
    this.#digests = Buffer.allocUnsafe(this.#capacity * DIGEST);
    this.#profileOf = new Uint32Array(this.#capacity);
    this.#status = new Uint8Array(this.#capacity);
  }

  /** Adds a credential by its stored hex token hash; a hash that is not 64 hex digits is skipped. */
  add(tokenHashHex: string, profileId: string, clientId: string, status: CredentialStatus, expiresAt: number, graceUntil: number): void {
    if (tokenHashHex.length !== DIGEST * 2) return;
    if (this.#size === this.#capacity) this.#grow();
    const i = this.#size;
    if (this.#digests.write(tokenHashHex, i * DIGEST, DIGEST, 'hex') !== DIGEST) return;
    this.#profileOf[i] = this.#owners.slot(profileId, clientId);
    this.#status[i] = status;
    if (expiresAt !== Number.POSITIVE_INFINITY) this.#expiresAt ??= infinities(this.#capacity);
    if (this.#expiresAt !== null) this.#expiresAt[i] = expiresAt;
    if (graceUntil !== Number.POSITIVE_INFINITY) this.#graceUntil ??= infinities(this.#capacity);
    if (this.#graceUntil !== null) this.#graceUntil[i] = graceUntil;
    this.#size++;
  }

  #grow(): void {
    const capacity = this.#capacity * 2;
    const digests = Buffer.allocUnsafe(capacity * DIGEST);
    this.#digests.copy(digests);
    this.#digests = digests;
    this.#profileOf = grown(this.#profileOf, new Uint32Array(capacity));
    this.#status = grown(this.#status, new Uint8Array(capacity));
    if (this.#expiresAt) this.#expiresAt = grown(this.#expiresAt, infinities(capacity));
    if (this.#graceUntil) this.#graceUntil = grown(this.#graceUntil, infinities(capacity));
    this.#capacity = capacity;
  }

  /** The index, each owner slot resolved once; the builder must not be used afterwards. */
  build(resolve: ResolveProfile<P>): TokenIndex<P> {
    const n = this.#size;
    // Trim only real slack: a count read up front makes the arrays exact.
    const exact = n === this.#capacity;
    return new TokenIndex({
      size: n,
      digests: exact ? this.#digests : Buffer.from(this.#digests.subarray(0, n * DIGEST)),
      owners: this.#owners,
      profiles: this.#owners.profileIds.map((id, s) => resolve(id, this.#owners.clientIds[s]!)),
      profileOf: exact ? this.#profileOf : this.#profileOf.slice(0, n),
      status: exact ? this.#status : this.#status.slice(0, n),
      expiresAt: exact || this.#expiresAt === null ? this.#expiresAt : this.#expiresAt.slice(0, n),
      graceUntil: exact || this.#graceUntil === null ? this.#graceUntil : this.#graceUntil.slice(0, n),
    });
  }
}

function infinities(length: number): Float64Array {
  return new Float64Array(length).fill(Number.POSITIVE_INFINITY);
}

function grown<T extends Uint32Array | Uint8Array | Float64Array>(from: T, to: T): T {
  to.set(from);
  return to;
}
