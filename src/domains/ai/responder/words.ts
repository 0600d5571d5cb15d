/**
 * The word handling shared by the keyword retriever and the offline answerer: lower-cased word
 * tokens without stop words, with a crude suffix fold so "parking"/"park", "pets"/"pet" meet.
 */
const STOP = new Set(
  `a an the and or but if then so of to in on at by for with from into about as is are was were be been being
  am do does did doing have has had having i me my we our us you your he she it its they them their this that
  these those there here what which who whom when where why how can could would should will shall may might
  must not no yes just also too very please hi hello hey thanks thank any some all there's i'm it's i'd i'll
  we're you're there get got need want like know tell let one much many more most other than up out over again
  still ok okay`.split(/\s+/),
);

/** Folds a few English suffixes so inflections share a key. */
export function stem(word: string): string {
  if (word.length > 5 && word.endsWith('ing')) return word.slice(0, -3);
  if (word.length > 4 && word.endsWith('ed')) return word.slice(0, -2);
  if (word.length > 4 && word.endsWith('ies')) return `${word.slice(0, -3)}y`;
  if (word.length > 3 && word.endsWith('es') && /(ch|sh|x|ss)es$/.test(word)) return word.slice(0, -2);
  if (word.length > 3 && word.endsWith('s') && !word.endsWith('ss')) return word.slice(0, -1);
  return word;
}

/** Content words of `text`: lower case, no stop words, stemmed, in order (duplicates kept). */
export function contentWords(text: string): string[] {
  return (
    text
      .toLowerCase()
      .replace(/[’‘]/g, "'")
      .match(/[a-z0-9][a-z0-9']*/g) ?? []
  )
    .filter((w) => w.length > 1 && !STOP.has(w))
    .map((w) => stem(w.replace(/'s$/, '')));
}

/** Distinct content words. */
export const wordSet = (text: string): Set<string> => new Set(contentWords(text));
