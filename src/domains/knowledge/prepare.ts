/**
 * The CPU-bound half of ingestion, chunking and offline embedding, on a worker thread.
 *
 * How to call:
 *   const { chunks, embeddings } = await prepareChunks({ content, kind, model: 'frontdesk-hash-384' });
 *   // embeddings[i]: chunks[i]'s vector as pgvector text. Without `model` (an HTTP provider
 *   // embeds them), chunks only and `embeddings` is null.
 *
 * Why a thread: on PGlite the database runs in the main thread, and on a server the main thread
 * drives the connection; either way, with this work elsewhere, the sources of a job are chunked
 * and embedded while the main thread writes the ones before them (measured: docs/knowledge-eval.md).
 * One worker per process, started on first use; it holds the process open only while it has
 * work. If it cannot start or dies, the work runs in the calling thread (and is logged).
 */
import { Worker } from 'node:worker_threads';
import type { Logger } from '../../platform/logger.js';
import { type Chunk, chunkText } from './chunk.js';
import { OfflineEmbedder } from './embed/offline.js';
import { EmbeddingError, vectorText } from './embed/vectors.js';

export interface PrepareInput {
  content: string;
  /** The source's kind (`faq`: one chunk per Q/A pair). */
  kind: string;
  /** An offline model (`frontdesk-hash-384`) to embed with; none: chunks only. */
  model?: string;
}

export interface PreparedChunks {
  chunks: Chunk[];
  embeddings: string[] | null;
}

/** Text the embedder sees: the heading path gives a passage its context. */
export const embeddingText = (headingPath: string[], content: string): string =>
  headingPath.length ? `${headingPath.join(' > ')}\n${content}` : content;

/** One embedder per model and thread: each keeps its feature table between texts. */
const embedders = new Map<string, OfflineEmbedder>();

/** The work itself, in the calling thread (what the worker runs). */
export function prepareInThread({ content, kind, model }: PrepareInput): PreparedChunks {
  const chunks = chunkText(content, { kind });
  if (!model) return { chunks, embeddings: null };
  let embedder = embedders.get(model);
  if (!embedder) {
    embedder = new OfflineEmbedder(model);
    embedders.set(model, embedder);
  }
  const embeddings = chunks.map((c) => vectorText(embedder.vector(embeddingText(c.headingPath, c.content))));
  return { chunks, embeddings };
}

/** What the worker answers: the result, or the error's name and message. */
export type WorkerReply =
  | { id: number; result: PreparedChunks }
  | { id: number; error: { name: string; message: string } };

interface Pending {
  resolve(result: PreparedChunks): void;
  reject(error: Error): void;
}

class PrepareWorker {
  private worker: Worker | undefined;
  private readonly pending = new Map<number, Pending>();
  private nextId = 0;
  /** Set when the worker could not start or died: the work stays in the calling thread. */
  private failure: Error | undefined;

  async prepare(input: PrepareInput, logger?: Logger): Promise<PreparedChunks> {
    if (this.failure) return prepareInThread(input);
    const worker = this.worker ?? this.spawn(logger);
    const id = this.nextId++;
    if (this.pending.size === 0) worker.ref();
    return new Promise<PreparedChunks>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      worker.postMessage({ id, input });
    }).catch((error: Error) => {
      // The worker went away with this request in it: do it here.
      if (error instanceof WorkerGone) return prepareInThread(input);
      throw error;
    });
  }

  /** Whether the worker is running, and why it is not used if it failed. */
  state(): { running: boolean; failure: string | undefined } {
    return { running: this.worker !== undefined, failure: this.failure?.message };
  }

  private spawn(logger?: Logger): Worker {
    // The entry is plain JavaScript that loads the TypeScript worker through tsx, as
    // bin/frontdesk.js loads the CLI.
    const worker = new Worker(new URL('./prepare-worker.mjs', import.meta.url));
    worker.on('message', (reply: WorkerReply) => {
      const pending = this.pending.get(reply.id);
      if (!pending) return;
      this.pending.delete(reply.id);
      if (this.pending.size === 0) worker.unref();
      if ('result' in reply) pending.resolve(reply.result);
      else {
        const { name, message } = reply.error;
        pending.reject(name === 'EmbeddingError' ? new EmbeddingError(message) : new Error(message));
      }
    });
    const gone = (error: Error) => {
      if (this.worker !== worker) return;
      this.worker = undefined;
      this.failure = error;
      logger?.warn({ err: error }, 'knowledge prepare worker stopped: chunking in the main thread');
      for (const pending of this.pending.values()) pending.reject(new WorkerGone(error.message));
      this.pending.clear();
    };
    worker.on('error', gone);
    worker.on('exit', (code) => gone(new Error(`the worker exited with code ${code}`)));
    worker.unref();
    this.worker = worker;
    return worker;
  }
}

class WorkerGone extends Error {}

const shared = new PrepareWorker();

/** Chunks (and, with an offline `model`, embeds) one source's text on the worker thread. */
export function prepareChunks(input: PrepareInput, logger?: Logger): Promise<PreparedChunks> {
  return shared.prepare(input, logger);
}

/** The worker's state (health checks and tests). */
export const prepareWorkerState = () => shared.state();
