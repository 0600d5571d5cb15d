/**
 * HTML → structured text. The main content is found with Mozilla Readability (what Firefox's
 * reader view uses) over a linkedom DOM; if it finds none, the whole body is used. The result
 * keeps the structure the chunker reads: headings as `#` lines, list items as `- ` lines,
 * paragraphs separated by blank lines.
 */
import { Readability } from '@mozilla/readability';
import { parseHTML } from 'linkedom';
import { normalizeText } from './text.js';

const BLOCKS = new Set([
  'P',
  'DIV',
  'SECTION',
  'ARTICLE',
  'MAIN',
  'HEADER',
  'FOOTER',
  'ASIDE',
  'BLOCKQUOTE',
  'PRE',
  'TABLE',
  'TR',
  'UL',
  'OL',
  'DL',
  'DT',
  'DD',
  'FIGURE',
  'BR',
  'HR',
]);
const SKIP = new Set(['SCRIPT', 'STYLE', 'NOSCRIPT', 'TEMPLATE', 'SVG', 'NAV', 'IFRAME']);

interface DomNode {
  nodeType: number;
  nodeName: string;
  textContent: string | null;
  childNodes: ArrayLike<DomNode>;
}

/** Structured text of an element tree. */
export function htmlToText(root: DomNode): string {
  const out: string[] = [];
  let line = '';
  const flush = () => {
    const l = line.replace(/\s+/g, ' ').trim();
    if (l) out.push(l);
    line = '';
  };
  const walk = (node: DomNode) => {
    if (node.nodeType === 3) {
      line += node.textContent ?? '';
      return;
    }
    if (node.nodeType !== 1 || SKIP.has(node.nodeName)) return;
    const heading = /^H([1-6])$/.exec(node.nodeName);
    if (heading || node.nodeName === 'LI' || BLOCKS.has(node.nodeName)) flush();
    if (heading) line = `${'#'.repeat(Number(heading[1]))} `;
    else if (node.nodeName === 'LI') line = '- ';
    for (const child of Array.from(node.childNodes)) walk(child);
    if (heading || node.nodeName === 'LI') {
      flush();
      if (heading) out.push('');
    } else if (BLOCKS.has(node.nodeName)) {
      flush();
      if (node.nodeName !== 'TR' && node.nodeName !== 'BR') out.push('');
    } else if (node.nodeName === 'TD' || node.nodeName === 'TH') line += ' ';
  };
  walk(root);
  flush();
  // Keep list items together; blank lines separate paragraphs, headings and lists.
  return normalizeText(out.join('\n').replace(/^(- .*)\n\n(?=- )/gm, '$1\n'));
}

export interface ExtractedHtml {
  content: string;
  title: string | undefined;
}

export function extractHtml(html: string): ExtractedHtml {
  const { document } = parseHTML(html);
  const title = document.querySelector('title')?.textContent?.trim() || undefined;
  let article: { content?: string | null; title?: string | null } | null = null;
  try {
    article = new Readability(document.cloneNode(true) as never, { charThreshold: 200 }).parse();
  } catch {
    article = null;
  }
  if (article?.content) {
    const { document: main } = parseHTML(`<!doctype html><html><body>${article.content}</body></html>`);
    const content = htmlToText(main.body as unknown as DomNode);
    if (content) return { content, title: article.title?.trim() || title };
  }
  return { content: htmlToText((document.body ?? document.documentElement) as unknown as DomNode), title };
}
