/** Bytes that claim to be text: strict UTF-8, and not binary data under a text name. */
import { AppError } from '../../../platform/errors.js';

/** Decodes UTF-8 strictly (a BOM is dropped); 422 for invalid sequences or binary content. */
export function decodeText(bytes: Uint8Array, what = 'the file'): string {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    throw new AppError('validation_failed', `${what} is not valid UTF-8 text`);
  }
  if (looksBinary(text)) {
    throw new AppError('validation_failed', `${what} looks like binary data, not text`);
  }
  return normalizeText(text);
}

/** NUL bytes, or more than 5% control characters other than whitespace. */
function looksBinary(text: string): boolean {
  if (text.includes('\u0000')) return true;
  const sample = text.slice(0, 65_536);
  let controls = 0;
  for (let i = 0; i < sample.length; i++) {
    const c = sample.charCodeAt(i);
    if ((c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0c && c !== 0x0d) || c === 0x7f) controls++;
  }
  return sample.length > 0 && controls / sample.length > 0.05;
}

/** One newline convention, no trailing spaces, at most one blank line in a row. */
export function normalizeText(text: string): string {
  return text
    .replace(/\r\n?/g, '\n')
    .replace(/[ \t]+\n/g, '\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}
