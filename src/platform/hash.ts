import { createHash } from 'node:crypto';

/** Hex SHA-256 of a string: how secrets (API keys, session tokens) and request bodies are fingerprinted. */
export const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');
