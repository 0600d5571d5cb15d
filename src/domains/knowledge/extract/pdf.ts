/** PDF → text with unpdf (pdf.js), page by page; encrypted or corrupt files are refused. */
import { extractText, getDocumentProxy } from 'unpdf';
import { AppError } from '../../../platform/errors.js';
import { normalizeText } from './text.js';

export async function extractPdf(bytes: Uint8Array): Promise<string> {
  if (Buffer.from(bytes.subarray(0, 1024)).indexOf('%PDF-') < 0) {
    throw new AppError('validation_failed', 'the PDF file is corrupt: no PDF header');
  }
  let pages: string[];
  try {
    // pdf.js takes ownership of the buffer it is given: hand it a copy.
    const pdf = await getDocumentProxy(new Uint8Array(bytes), { stopAtErrors: true });
    try {
      ({ text: pages } = await extractText(pdf, { mergePages: false }));
    } finally {
      await pdf.cleanup();
    }
  } catch (error) {
    const name = (error as Error).name;
    if (name === 'PasswordException') {
      throw new AppError(
        'validation_failed',
        'the PDF file is encrypted (password protected): upload a decrypted copy',
      );
    }
    throw new AppError('validation_failed', `the PDF file is corrupt: ${(error as Error).message}`);
  }
  const content = normalizeText(pages.map((p) => normalizeText(p)).join('\n\n'));
  if (!content)
    throw new AppError('validation_failed', 'the PDF file has no text (a scan? OCR is not supported)');
  return content;
}
