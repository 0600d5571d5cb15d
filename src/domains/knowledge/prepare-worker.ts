/** The prepare worker: chunks and embeds what prepare.ts sends it, one request at a time. */
import { parentPort } from 'node:worker_threads';
import { type PrepareInput, prepareInThread, type WorkerReply } from './prepare.js';

const port = parentPort!;
port.on('message', ({ id, input }: { id: number; input: PrepareInput }) => {
  let reply: WorkerReply;
  try {
    reply = { id, result: prepareInThread(input) };
  } catch (error) {
    const { name, message } = error as Error;
    reply = { id, error: { name, message } };
  }
  port.postMessage(reply);
});
