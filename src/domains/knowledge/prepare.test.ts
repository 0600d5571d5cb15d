import { describe, expect, it } from 'vitest';
import { EmbeddingError } from './embed/vectors.js';
import { prepareChunks, prepareInThread, prepareWorkerState } from './prepare.js';

const DOC = `# Refunds

A refund is issued within 5 working days.

## Partial refunds

Late cancellations are refunded in part.

Q: Can I get a refund after check-in?
A: No, but we can move your dates.`;

describe('prepareChunks', () => {
  it('chunks and embeds on the worker thread, exactly as in the calling thread', async () => {
    const inputs = [
      { content: DOC, kind: 'text', model: 'frontdesk-hash-384' },
      { content: DOC, kind: 'faq', model: 'frontdesk-hash-64' },
      { content: DOC, kind: 'text' },
    ];
    // Several at once: answers are matched to their requests.
    const results = await Promise.all(inputs.map((input) => prepareChunks(input)));
    expect(prepareWorkerState()).toEqual({ running: true, failure: undefined });
    expect(results).toEqual(inputs.map((input) => prepareInThread(input)));
    expect(results[0]!.embeddings).toHaveLength(results[0]!.chunks.length);
    expect(results[2]!.embeddings).toBeNull();
  });

  it('passes an embedding error back as an EmbeddingError', async () => {
    const failed = prepareChunks({ content: DOC, kind: 'text', model: 'frontdesk-hash-5' });
    await expect(failed).rejects.toThrow(EmbeddingError);
    await expect(failed).rejects.toThrow(/unknown offline embedding model/);
    expect(prepareWorkerState().running).toBe(true);
  });
});
