/**
 * The console of a platform admin who is a member of no tenant: the platform pages only (tenants,
 * usage), with no tenant's branding. A platform admin who is also a member of tenants gets them
 * inside the tenant console instead (its "Platform" link); either way the API is the guard: the
 * `/v1/platform/…` operations answer 403 to anyone else's session.
 */
import { useEffect, useMemo } from 'preact/hooks';
import { Redirect, Route, Switch } from 'wouter-preact';
import { applyBrand } from './brand.js';
import { useLogout } from './logout.js';
import { NotFound } from './pages/not-found.js';
import { PlatformTenants } from './pages/platform-tenants.js';
import { PlatformUsage } from './pages/platform-usage.js';
import { platformClientFor, type Session } from './session.js';

export function PlatformConsole({
  session,
  onSession,
}: {
  session: Session;
  onSession: (s: Session | null) => void;
}) {
  const client = useMemo(() => platformClientFor(session), [session]);
  const logout = useLogout(client, onSession);
  useEffect(() => applyBrand({}), []);
  return (
    <>
      <a class="skip" href="#main">
        Skip to content
      </a>
      <header class="top">
        <div class="brand">
          <span class="product">Frontdesk platform</span>
        </div>
        <div class="who">
          <span>{session.email} · platform admin</span>
          <button type="button" onClick={logout}>
            Log out
          </button>
        </div>
      </header>
      <main id="main">
        <Switch>
          <Route path="/platform">
            <PlatformTenants client={client} />
          </Route>
          <Route path="/platform/usage">
            <PlatformUsage client={client} />
          </Route>
          <Route path="/">
            <Redirect to="/platform" replace />
          </Route>
          <Route>
            <NotFound />
          </Route>
        </Switch>
      </main>
    </>
  );
}
