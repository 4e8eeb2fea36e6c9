import { brotliDecompressSync, constants, gunzipSync, inflateSync, zstdDecompressSync } from 'node:zlib';
import { GatehouseError, type NodePhase } from '../../core/index.js';

/** A body as the model will read it: UTF-8 text bytes, and the headers that say so when they had to change. */
export interface DecodedBody {
  bytes: Buffer;
  /** Whether decoding changed the bytes (then the body and its headers are replaced). */
  changed: boolean;
  /** The Content-Type to send with the decoded bytes (charset=utf-8), when decoding changed it. */
  contentType: string | null;
}

type Decompress = (b: Buffer, opts: { maxOutputLength: number; finishFlush?: number }) => Buffer;

/** The content codings the gateway undoes, and the flush that reads a cut stream as far as it goes. */
const DECODERS: Readonly<Record<string, { decompress: Decompress; partial?: number }>> = {
  gzip: { decompress: gunzipSync, partial: constants.Z_SYNC_FLUSH },
  'x-gzip': { decompress: gunzipSync, partial: constants.Z_SYNC_FLUSH },
  deflate: { decompress: inflateSync, partial: constants.Z_SYNC_FLUSH },
  br: { decompress: brotliDecompressSync, partial: constants.BROTLI_OPERATION_FLUSH },
  zstd: { decompress: zstdDecompressSync },
};

/**
 * `raw` with one content coding undone, at most `maxOutputLength` bytes (past it, and on corrupt
 * bytes, zlib throws); undefined for a coding the gateway does not decode. `partial`: `raw` is a
 * stream's first bytes (a captured body), read as far as they go.
 */
export function decompressed(raw: Buffer, coding: string, maxOutputLength: number, partial = false): Buffer | undefined {
  const decoder = DECODERS[coding];
  if (decoder === undefined) return undefined;
  return decoder.decompress(raw, partial && decoder.partial !== undefined ? { maxOutputLength, finishFlush: decoder.partial } : { maxOutputLength });
}

const CHARSET = /;\s*charset\s*=\s*"?([^";\s]+)"?/i;
const UTF8_LABELS = new Set(['utf-8', 'utf8', 'us-ascii', 'ascii', 'unicode-1-1-utf-8']);

function undecodable(phase: NodePhase, node: string, why: string): GatehouseError {
  return new GatehouseError(
    phase === 'request' ? 'GATEHOUSE_BODY_UNDECODABLE' : 'GATEHOUSE_UPSTREAM_BODY_UNDECODABLE',
    `Workflow node ${node} cannot read the ${phase} body: ${why}.`,
    { node },
  );
}

/**
 * Decodes a body for the guardrails the way its receiver would: the content encodings undone
 * (gzip, deflate, br, zstd; decoded size capped at `maxBytes`, so a bomb is refused, not
 * inflated), then the declared charset (or a UTF-16 byte-order mark) read into UTF-8. What cannot
 * be decoded is refused — never judged as bytes that mean something else to the model.
 */
export function decodeBody(
  raw: Buffer,
  contentType: string | undefined,
  contentEncoding: string | undefined,
  maxBytes: number,
  phase: NodePhase,
  node: string,
): DecodedBody {
  let bytes = raw;
  let changed = false;
  const codings = (contentEncoding ?? '')
    .split(',')
    .map((c) => c.trim().toLowerCase())
    .filter((c) => c !== '' && c !== 'identity');
  for (const coding of codings.reverse()) {
    if (DECODERS[coding] === undefined) throw undecodable(phase, node, `it is ${coding}-encoded, which the gateway does not decode`);
    try {
      bytes = decompressed(bytes, coding, maxBytes)!;
    } catch (err) {
      if ((err as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE' || err instanceof RangeError)
        throw new GatehouseError(
          phase === 'request' ? 'GATEHOUSE_WORKFLOW_BODY_TOO_LARGE' : 'GATEHOUSE_WORKFLOW_RESPONSE_TOO_LARGE',
          `Workflow node ${node} scans bodies up to ${maxBytes} bytes decoded; this ${coding} body decodes to more.`,
          { node },
        );
      throw undecodable(phase, node, `its ${coding} encoding is corrupt`);
    }
    changed = true;
  }
  let label = CHARSET.exec(contentType ?? '')?.[1]?.toLowerCase();
  if (label === undefined && bytes.length >= 2) {
    if (bytes[0] === 0xff && bytes[1] === 0xfe) label = 'utf-16le';
    else if (bytes[0] === 0xfe && bytes[1] === 0xff) label = 'utf-16be';
  }
  if (label === undefined || UTF8_LABELS.has(label)) {
    // A UTF-8 byte-order mark is not text a model reads.
    if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return { bytes: bytes.subarray(3), changed: true, contentType: contentType ?? null };
    return { bytes, changed, contentType: changed ? (contentType ?? null) : null };
  }
  let text: string;
  try {
    text = new TextDecoder(label, { fatal: true }).decode(bytes);
  } catch (err) {
    throw undecodable(phase, node, err instanceof RangeError ? `its charset ${label} is not one the gateway knows` : `it is not valid ${label}`);
  }
  const utf8 = Buffer.from(text, 'utf8');
  const type = contentType ?? 'text/plain';
  return { bytes: utf8, changed: true, contentType: CHARSET.test(type) ? type.replace(CHARSET, '; charset=utf-8') : `${type}; charset=utf-8` };
}
