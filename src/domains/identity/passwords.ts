/**
 * Password hashing: argon2id with the OWASP minimum parameters (19 MiB, 2 passes, 1 lane).
 * Hashes are PHC strings (`$argon2id$v=19$m=19456,t=2,p=1$…`) that carry their own salt and
 * parameters, so raising the parameters later keeps old hashes verifiable.
 */
import { type Algorithm, hash, verify } from '@node-rs/argon2';

/**
 * `Algorithm.Argon2id`. The package declares `Algorithm` as an ambient const enum, which
 * `verbatimModuleSyntax` cannot inline and which is erased at runtime, so the value is spelled out.
 */
const ARGON2ID = 2 as Algorithm;

export const PASSWORD_HASH_OPTIONS = {
  algorithm: ARGON2ID,
  memoryCost: 19_456,
  timeCost: 2,
  parallelism: 1,
} as const;

/** Hashes a password with argon2id and a fresh random salt. */
export function hashPassword(password: string): Promise<string> {
  return hash(password, PASSWORD_HASH_OPTIONS);
}

/**
 * Whether `password` matches `passwordHash`. A malformed or non-argon2 hash is a mismatch,
 * not an error, so a corrupt row can never let a login through or crash it.
 */
export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  if (!passwordHash.startsWith('$argon2')) return false;
  try {
    return await verify(passwordHash, password);
  } catch {
    return false;
  }
}
