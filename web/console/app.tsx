/** Session, branding and routes; a platform admin's pages (platform.tsx) beside the tenant's. */
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { createContext } from 'preact';
import { useContext, useEffect, useMemo, useState } from 'preact/hooks';
import { Link, Route, Switch, useLocation } from 'wouter-preact';
import { applyBrand, type Brand } from './brand.js';
import { useLive } from './live.js';
import { useLogout } from './logout.js';
import { Accounts } from './pages/accounts.js';
import { Agents } from './pages/agents.js';
import { Analytics } from './pages/analytics.js';
import { ApiKeys } from './pages/api-keys.js';
import { Approvals } from './pages/approvals.js';
import { Channels } from './pages/channels.js';
import { ConversationPage } from './pages/conversation.js';
import { Escalations } from './pages/escalations.js';
import { Faq } from './pages/faq.js';
import { Inbox } from './pages/inbox.js';
import { Knowledge } from './pages/knowledge.js';
import { Login } from './pages/login.js';
import { NotFound } from './pages/not-found.js';
import { PlatformTenants } from './pages/platform-tenants.js';
import { PlatformUsage } from './pages/platform-usage.js';
import { Team } from './pages/team.js';
import { Webhooks } from './pages/webhooks.js';
import { WidgetSettings } from './pages/widget-settings.js';
import { PlatformConsole } from './platform.js';
import {
  type Client,
  clientFor,
  ok,
  platformClientFor,
  readSession,
  type Session,
  writeSession,
} from './session.js';

export interface Me {
  tenant: { id: string; slug: string; name: string };
  role: 'owner' | 'admin' | 'agent' | 'viewer';
  userId: string | null;
  email: string | null;
}
interface Ctx {
  session: Session;
  client: Client;
  me: Me | undefined;
  /** True when the caller's role is at least `role`. */
  can(role: Me['role']): boolean;
}
const SessionContext = createContext<Ctx | null>(null);
export const useSession = (): Ctx => useContext(SessionContext)!;

const RANK = { viewer: 0, agent: 1, admin: 2, owner: 3 } as const;

export function App() {
  const [session, setSession] = useState<Session | null>(readSession());
  const save = (s: Session | null) => {
    writeSession(s);
    setSession(s);
  };
  if (!session) return <Login onLogin={save} />;
  // Only a platform admin logs in without a tenant (the log-in page refuses anyone else).
  if (session.tenants.length === 0) return <PlatformConsole session={session} onSession={save} />;
  return <Console session={session} onSession={save} />;
}

function Console({ session, onSession }: { session: Session; onSession: (s: Session | null) => void }) {
  const client = useMemo(() => clientFor(session), [session]);
  const platformClient = useMemo(() => platformClientFor(session), [session]);
  const queries = useQueryClient();
  const logout = useLogout(client, onSession);
  const me = useQuery({ queryKey: ['me', session.tenantId], queryFn: () => ok(client.GET('/v1/me')) });
  const tenant = useQuery({
    queryKey: ['tenant', session.tenantId],
    queryFn: () => ok(client.GET('/v1/tenant')) as Promise<{ name: string; brandConfig?: Brand }>,
  });
  useEffect(() => applyBrand(tenant.data?.brandConfig ?? {}), [tenant.data]);
  useLive(session);
  const [, navigate] = useLocation();
  const role = me.data?.role;
  const ctx: Ctx = {
    session,
    client,
    me: me.data as Me | undefined,
    can: (r) => role !== undefined && RANK[role] >= RANK[r],
  };
  const brand = tenant.data?.brandConfig;
  return (
    <SessionContext.Provider value={ctx}>
      <a class="skip" href="#main">
        Skip to content
      </a>
      <header class="top">
        <div class="brand">
          {brand?.logo?.url && <img src={brand.logo.url} alt={brand.logo.alt ?? ''} height={28} />}
          <span class="product">{brand?.productName ?? tenant.data?.name ?? 'Frontdesk'}</span>
        </div>
        <nav aria-label="Console">
          <Link href="/">Inbox</Link>
          <Link href="/approvals">Approvals</Link>
          <Link href="/escalations">Escalations</Link>
          <Link href="/knowledge">Knowledge</Link>
          <Link href="/faq">FAQ</Link>
          <Link href="/analytics">Analytics</Link>
          <Link href="/agents">AI agents</Link>
          <Link href="/accounts">Accounts</Link>
          {ctx.can('admin') && <Link href="/channels">Channels</Link>}
          {ctx.can('admin') && <Link href="/widget">Widget</Link>}
          {ctx.can('admin') && <Link href="/webhooks">Webhooks</Link>}
          <Link href="/team">Team</Link>
          {ctx.can('owner') && <Link href="/keys">API keys</Link>}
          {session.platformAdmin && <Link href="/platform">Platform</Link>}
        </nav>
        <div class="who">
          {session.tenants.length > 1 && (
            <label>
              <span class="sr">Tenant</span>
              <select
                value={session.tenantId}
                onChange={(e) => {
                  queries.clear();
                  onSession({ ...session, tenantId: (e.target as HTMLSelectElement).value });
                  navigate('/');
                }}
              >
                {session.tenants.map((t) => (
                  <option key={t.id} value={t.id}>
                    {t.name}
                  </option>
                ))}
              </select>
            </label>
          )}
          <span>
            {me.data?.email} · {role}
          </span>
          <button type="button" onClick={logout}>
            Log out
          </button>
        </div>
      </header>
      <main id="main">
        <Switch>
          <Route path="/" component={Inbox} />
          <Route path="/conversations/:id">{(p) => <ConversationPage id={p.id} />}</Route>
          <Route path="/approvals" component={Approvals} />
          <Route path="/escalations" component={Escalations} />
          <Route path="/knowledge" component={Knowledge} />
          <Route path="/faq" component={Faq} />
          <Route path="/analytics" component={Analytics} />
          <Route path="/agents" component={Agents} />
          <Route path="/accounts" component={Accounts} />
          <Route path="/team" component={Team} />
          <Route path="/channels" component={Channels} />
          <Route path="/widget" component={WidgetSettings} />
          <Route path="/webhooks" component={Webhooks} />
          <Route path="/keys" component={ApiKeys} />
          {/* Not a platform admin: these pages do not exist (and the API refuses the calls). */}
          <Route path="/platform">
            {session.platformAdmin ? <PlatformTenants client={platformClient} /> : <NotFound />}
          </Route>
          <Route path="/platform/usage">
            {session.platformAdmin ? <PlatformUsage client={platformClient} /> : <NotFound />}
          </Route>
          <Route>
            <NotFound />
          </Route>
        </Switch>
      </main>
    </SessionContext.Provider>
  );
}
