/** The approvals queue: AI drafts waiting for a person. */
import { useQuery } from '@tanstack/react-query';
import { useSession } from '../app.js';
import { ok } from '../session.js';
import { ApprovalCard, type ApprovalRow } from './approval-card.js';

export function Approvals() {
  const { client, session } = useSession();
  const list = useQuery({
    queryKey: ['approvals', session.tenantId, 'pending'],
    queryFn: () =>
      ok(client.GET('/v1/approvals', { params: { query: { status: 'pending', limit: 50 } as never } })),
    // Drafts are written by the responder's job, which stores no message: poll as well as listen.
    refetchInterval: 3_000,
  });
  const rows = (list.data?.data ?? []) as ApprovalRow[];
  return (
    <section>
      <h1>Approvals</h1>
      {rows.length === 0 && list.isSuccess && <p>No drafts are waiting.</p>}
      {rows.map((a) => (
        <ApprovalCard key={a.id} approval={a} />
      ))}
    </section>
  );
}
