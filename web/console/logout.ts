/** Logging out: the session ends on the server, the cached data goes, back to the log-in page. */
import { useQueryClient } from '@tanstack/react-query';
import { useLocation } from 'wouter-preact';
import type { Client, Session } from './session.js';

export function useLogout(client: Client, onSession: (s: Session | null) => void): () => Promise<void> {
  const queries = useQueryClient();
  const [, navigate] = useLocation();
  return async () => {
    await client.POST('/v1/auth/logout').catch(() => undefined);
    queries.clear();
    onSession(null);
    navigate('/');
  };
}
