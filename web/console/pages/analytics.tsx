/**
 * Analytics from the daily rollups (GET /v1/daily-metrics) as a uPlot chart, with the same
 * figures as a table (the chart is a canvas: the table is what a screen reader reads), and the
 * 30-day overview (GET /v1/analytics/overview).
 */
import { useQuery } from '@tanstack/react-query';
import { useEffect, useRef } from 'preact/hooks';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { useSession } from '../app.js';
import { ok } from '../session.js';

interface Day {
  date: string;
  conversationsTotal: number;
  conversationsResolved: number;
  conversationsEscalated: number;
  messagesTotal: number;
}

function Chart({ days }: { days: Day[] }) {
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!box.current || days.length === 0) return;
    const x = days.map((d) => Date.parse(`${d.date}T00:00:00Z`) / 1000);
    const plot = new uPlot(
      {
        width: Math.min(960, box.current.clientWidth || 960),
        height: 280,
        series: [
          {},
          { label: 'Conversations', stroke: '#1d4ed8', width: 2 },
          { label: 'Resolved', stroke: '#15803d', width: 2 },
          { label: 'Escalated', stroke: '#b91c1c', width: 2 },
        ],
        axes: [{}, { label: 'per day' }],
      },
      [
        x,
        days.map((d) => d.conversationsTotal),
        days.map((d) => d.conversationsResolved),
        days.map((d) => d.conversationsEscalated),
      ],
      box.current,
    );
    return () => plot.destroy();
  }, [days]);
  return (
    <div
      ref={box}
      role="img"
      aria-label="Conversations, resolved and escalated per day (figures in the table below)"
    />
  );
}

export function Analytics() {
  const { client, session } = useSession();
  const metrics = useQuery({
    queryKey: ['daily-metrics', session.tenantId],
    queryFn: () =>
      ok(client.GET('/v1/daily-metrics', { params: { query: { limit: 60, sort: '-createdAt' } as never } })),
  });
  const overview = useQuery({
    queryKey: ['analytics-overview', session.tenantId],
    queryFn: () => ok(client.GET('/v1/analytics/overview')),
  });
  const days = ((metrics.data?.data ?? []) as Day[]).slice().sort((a, b) => a.date.localeCompare(b.date));
  const o = overview.data as
    | { conversationsByStatus: Record<string, number>; messagesByRole: Record<string, number> }
    | undefined;
  return (
    <section>
      <h1>Analytics</h1>
      {o && (
        <dl class="stats">
          {Object.entries(o.conversationsByStatus).map(([k, v]) => (
            <div key={k}>
              <dt>{k}</dt>
              <dd>{v}</dd>
            </div>
          ))}
          <div>
            <dt>AI messages (30 days)</dt>
            <dd>{o.messagesByRole.assistant}</dd>
          </div>
        </dl>
      )}
      <h2>Per day</h2>
      {days.length === 0 ? (
        <p>No daily rollups yet: they are computed each night (docs/scheduling-and-analytics.md).</p>
      ) : (
        <>
          <Chart days={days} />
          <details>
            <summary>The figures</summary>
            <table class="list">
              <thead>
                <tr>
                  <th scope="col">Day</th>
                  <th scope="col">Conversations</th>
                  <th scope="col">Resolved</th>
                  <th scope="col">Escalated</th>
                  <th scope="col">Messages</th>
                </tr>
              </thead>
              <tbody>
                {days.map((d) => (
                  <tr key={d.date}>
                    <td>{d.date}</td>
                    <td>{d.conversationsTotal}</td>
                    <td>{d.conversationsResolved}</td>
                    <td>{d.conversationsEscalated}</td>
                    <td>{d.messagesTotal}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </details>
        </>
      )}
    </section>
  );
}
