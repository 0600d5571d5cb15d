/**
 * Turns what a tenant gives the knowledge base into the text that is stored on the source
 * (`knowledge_sources.content`) and chunked. Every failure is an `AppError` with a clear
 * message (413 over the size limit, 415 for an unknown format, 422 for bad content); nothing is
 * written before extraction succeeds.
 *
 * How to call:
 *   const doc = await extractFile(bytes, { fileName: 'guide.pdf', maxBytes: config.knowledge.maxBytes });
 *   const doc = await extractUrl('https://example.com/faq', { maxBytes, timeoutMs, allowPrivate });
 *   // doc.content: structured text (headings as `#` lines, list items as `- `); doc.title
 */
import { extname } from 'node:path';
import { AppError } from '../../../platform/errors.js';
import { SafeFetchError, safeFetch } from '../../../platform/net/safe-fetch.js';
import { stripDirectives } from './markup.js';
import { decodeText, normalizeText } from './text.js';

// The parsers (linkedom, Readability, mammoth, unpdf) load on first use: together they are about
// half a second of module loading that a `frontdesk start` which ingests nothing never needs.
const html = () => import('./html.js');

/** HTML → text and title (Readability, then structure-preserving text); loads the parser on first use. */
export async function extractHtmlText(
  source: string,
): Promise<{ content: string; title: string | undefined }> {
  return (await html()).extractHtml(source);
}

export const FORMATS = ['text', 'markdown', 'html', 'pdf', 'docx'] as const;
export type Format = (typeof FORMATS)[number];

export interface Extracted {
  content: string;
  format: Format;
  title: string | undefined;
}

const BY_EXTENSION: Record<string, Format> = {
  '.txt': 'text',
  '.text': 'text',
  '.csv': 'text',
  '.md': 'markdown',
  '.markdown': 'markdown',
  '.html': 'html',
  '.htm': 'html',
  '.pdf': 'pdf',
  '.docx': 'docx',
};

const BY_MEDIA_TYPE: Record<string, Format> = {
  'text/plain': 'text',
  'text/csv': 'text',
  'text/markdown': 'markdown',
  'text/html': 'html',
  'application/xhtml+xml': 'html',
  'application/pdf': 'pdf',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': 'docx',
};

/** The format of a file, from its name first, then its media type. */
export function formatOf(fileName: string | undefined, mediaType: string | undefined): Format {
  const byName = fileName ? BY_EXTENSION[extname(fileName).toLowerCase()] : undefined;
  const byType = mediaType ? BY_MEDIA_TYPE[mediaType.split(';')[0]!.trim().toLowerCase()] : undefined;
  const format = byName ?? byType;
  if (!format) {
    throw new AppError(
      'unsupported_media_type',
      `cannot ingest ${fileName ?? mediaType ?? 'this file'}: send text, Markdown, HTML, PDF or DOCX`,
    );
  }
  return format;
}

export function checkSize(size: number, maxBytes: number): void {
  if (size === 0) throw new AppError('validation_failed', 'the file is empty');
  if (size > maxBytes) {
    throw new AppError('payload_too_large', `the file is ${size} bytes, over the limit of ${maxBytes} bytes`);
  }
}

export async function extractFile(
  bytes: Buffer,
  options: { fileName?: string; mediaType?: string; maxBytes: number },
): Promise<Extracted> {
  checkSize(bytes.length, options.maxBytes);
  const format = formatOf(options.fileName, options.mediaType);
  let content: string;
  let title: string | undefined;
  switch (format) {
    case 'text':
      content = decodeText(bytes);
      break;
    case 'markdown':
      ({ content, title } = frontMatter(stripDirectives(decodeText(bytes))));
      break;
    case 'html':
      ({ content, title } = (await html()).extractHtml(decodeText(bytes)));
      break;
    case 'pdf':
      content = await (await import('./pdf.js')).extractPdf(bytes);
      break;
    case 'docx':
      content = await (await import('./docx.js')).extractDocx(bytes);
      break;
  }
  content = normalizeText(content);
  if (!content) throw new AppError('validation_failed', 'the file has no text to ingest');
  return { content, format, title: title ?? titleFrom(content) };
}

/**
 * A Markdown file's front matter (YAML between `---` lines, or Hugo's TOML between `+++`), as
 * static-site help centers write it (Jekyll, Hugo, Docusaurus, MkDocs): its `title` is the
 * document's title and its `description` (or `intro`, `summary`) the first paragraph; the rest
 * (redirects, versions, layout) is site configuration, not text, and is left out.
 */
export function frontMatter(text: string): { content: string; title?: string } {
  const m = /^(---|\+\+\+)\n([\s\S]*?)\n\1[ \t]*(?:\n|$)/.exec(text);
  if (!m) return { content: text };
  const fields = new Map<string, string>();
  for (const line of m[2]!.split('\n')) {
    const kv = /^([A-Za-z_][\w-]*)\s*[:=]\s*(.*)$/.exec(line);
    if (!kv) continue;
    const value = kv[2]!
      .trim()
      .replace(/^(['"])([\s\S]*)\1$/, '$2')
      .trim();
    // A block scalar (`description: >-`) or a list (`versions:`) has its value on later lines.
    if (value && !/^[|>][-+]?$/.test(value) && !fields.has(kv[1]!.toLowerCase())) {
      fields.set(kv[1]!.toLowerCase(), value);
    }
  }
  const lead = fields.get('description') ?? fields.get('intro') ?? fields.get('summary');
  const body = text.slice(m[0].length).trim();
  return { content: lead ? `${lead}\n\n${body}` : body, title: fields.get('title') ?? titleFrom(body) };
}

/** A title from the first heading or line. */
function titleFrom(content: string): string | undefined {
  const first = content
    .split('\n', 1)[0]
    ?.replace(/^#+\s*/, '')
    .trim();
  return first ? first.slice(0, 200) : undefined;
}

export interface UrlLimits {
  maxBytes: number;
  timeoutMs: number;
  allowPrivate: boolean;
}

/** Fetches a URL with safeFetch (public addresses only unless allowed, 3 redirects) and extracts it. */
export async function extractUrl(url: string, limits: UrlLimits): Promise<Extracted & { url: string }> {
  let res: Awaited<ReturnType<typeof safeFetch>>;
  try {
    res = await safeFetch(url, {
      timeoutMs: limits.timeoutMs,
      maxBytes: limits.maxBytes,
      maxRedirects: 3,
      allowPrivate: limits.allowPrivate,
      headers: { accept: 'text/html, text/plain, text/markdown, application/pdf;q=0.9, */*;q=0.5' },
    });
  } catch (error) {
    if (error instanceof SafeFetchError) {
      if (error.code === 'too_large') {
        throw new AppError('payload_too_large', `${url}: the document is over ${limits.maxBytes} bytes`);
      }
      throw new AppError('validation_failed', `${url}: ${error.message}`);
    }
    throw error;
  }
  if (res.status < 200 || res.status > 299) {
    throw new AppError('validation_failed', `${url} answered HTTP ${res.status}`);
  }
  const mediaType = String(res.headers['content-type'] ?? 'text/html');
  const path = new URL(res.url).pathname;
  const byName = BY_EXTENSION[extname(path).toLowerCase()] ? path : undefined;
  const doc = await extractFile(res.body, {
    ...(byName ? { fileName: byName } : {}),
    mediaType,
    maxBytes: limits.maxBytes,
  });
  return { ...doc, url: res.url };
}
