/** DOCX → structured text with mammoth (via HTML, so headings and lists survive). */

import { parseHTML } from 'linkedom';
import mammoth from 'mammoth';
import { AppError } from '../../../platform/errors.js';
import { htmlToText } from './html.js';
import { checkZip } from './zip.js';

export async function extractDocx(bytes: Buffer): Promise<string> {
  checkZip(bytes);
  let html: string;
  try {
    ({ value: html } = await mammoth.convertToHtml({ buffer: bytes }));
  } catch (error) {
    throw new AppError('validation_failed', `the DOCX file is corrupt: ${(error as Error).message}`);
  }
  const { document } = parseHTML(`<!doctype html><html><body>${html}</body></html>`);
  return htmlToText(document.body as never);
}
