/**
 * Lines of a help center's Markdown that are markup for its site generator, not text.
 *
 *   stripDirectives(markdown)   // at extraction: what gets stored, chunked and indexed
 *   MARKUP_LINE.test(line)      // in extractive answers: lines never quoted to a customer
 */

/**
 * A template directive alone on its line: Liquid `{% … %}`, Hugo `{{< … >}}` / `{{% … %}}`,
 * Python-Markdown includes `{!snippet.md!}` and Zulip's tab markers (`{start_tabs}`,
 * `{tab|desktop-web}`, `{end_tabs}`).
 */
const DIRECTIVE = String.raw`\{[%{!][^\n]*[%}!]\}|\{[\w|-]+\}`;
/** An admonition's opening line: MkDocs `!!! tip "Title"` / `??? note`, Docusaurus `:::tip Title` and its closing `:::`. */
const ADMONITION = String.raw`(?:!!!|\?\?\?\+?)\s+[\w-]+(?:\s+"([^"]*)")?|:::\s*[\w-]*(?:\s+([^\n]*))?`;

const DIRECTIVE_LINE = new RegExp(String.raw`^[ \t]*(?:${DIRECTIVE})[ \t]*$`);
const ADMONITION_LINE = new RegExp(String.raw`^[ \t]*(?:${ADMONITION})[ \t]*$`);

/** Lines an extractive answer leaves out: the above, and fences, rules, images and HTML comments. */
export const MARKUP_LINE = new RegExp(
  String.raw`^\s*(?:${DIRECTIVE}|${ADMONITION}|` +
    '```.*|~~~.*|[-*_]{3,}|!\\[[^\\]]*\\]\\([^)]*\\)|<!--.*-->)\\s*$',
);

/**
 * Markdown without its template directives; an admonition's marker becomes its title (the words
 * a reader sees), or goes when it has none. Line structure is otherwise kept.
 */
export function stripDirectives(markdown: string): string {
  return markdown
    .split('\n')
    .flatMap((line) => {
      if (DIRECTIVE_LINE.test(line)) return [];
      const admonition = ADMONITION_LINE.exec(line);
      if (admonition) {
        const title = (admonition[1] ?? admonition[2] ?? '').trim();
        return title ? [title] : [];
      }
      return [line];
    })
    .join('\n');
}
