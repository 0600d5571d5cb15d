/**
 * Reads a ZIP's central directory (without inflating anything) to refuse archives whose
 * declared contents are too large or compressed like a zip bomb, before a parser expands them.
 */
import { AppError } from '../../../platform/errors.js';

export interface ZipLimits {
  /** Largest total uncompressed size. */
  maxUncompressedBytes: number;
  /** Largest ratio uncompressed/compressed of an entry bigger than 1 MiB. */
  maxRatio: number;
  maxEntries: number;
}

export const DOCX_LIMITS: ZipLimits = {
  maxUncompressedBytes: 100 * 1024 * 1024,
  maxRatio: 100,
  maxEntries: 5_000,
};

const EOCD = 0x06054b50;
const CENTRAL = 0x02014b50;

export function checkZip(buf: Buffer, limits: ZipLimits = DOCX_LIMITS): void {
  const bad = (why: string) => new AppError('validation_failed', `the DOCX file is ${why}`);
  if (buf.length < 22 || buf.readUInt32LE(0) !== 0x04034b50)
    throw bad('not a ZIP archive (corrupt or not a DOCX)');
  let eocd = -1;
  for (let i = buf.length - 22; i >= Math.max(0, buf.length - 22 - 65_535); i--) {
    if (buf.readUInt32LE(i) === EOCD) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw bad('corrupt: no ZIP central directory');
  const entries = buf.readUInt16LE(eocd + 10);
  const offset = buf.readUInt32LE(eocd + 16);
  if (entries === 0xffff || offset === 0xffffffff) throw bad('a ZIP64 archive, too large to ingest');
  if (entries > limits.maxEntries) throw bad(`an archive of ${entries} entries (limit ${limits.maxEntries})`);
  let total = 0;
  let p = offset;
  for (let n = 0; n < entries; n++) {
    if (p + 46 > buf.length || buf.readUInt32LE(p) !== CENTRAL) throw bad('corrupt: bad central directory');
    const compressed = buf.readUInt32LE(p + 20);
    const uncompressed = buf.readUInt32LE(p + 24);
    if (compressed === 0xffffffff || uncompressed === 0xffffffff)
      throw bad('a ZIP64 archive, too large to ingest');
    total += uncompressed;
    if (total > limits.maxUncompressedBytes) {
      throw bad(`too large once decompressed (over ${limits.maxUncompressedBytes} bytes): a zip bomb?`);
    }
    if (uncompressed > 1024 * 1024 && uncompressed > limits.maxRatio * Math.max(compressed, 1)) {
      throw bad(`compressed ${Math.round(uncompressed / Math.max(compressed, 1))}:1, like a zip bomb`);
    }
    p += 46 + buf.readUInt16LE(p + 28) + buf.readUInt16LE(p + 30) + buf.readUInt16LE(p + 32);
  }
}
