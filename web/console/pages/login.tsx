/** Log in with a user's email and password (POST /v1/auth/login); a platform admin also gets the platform pages. */
import { useState } from 'preact/hooks';
import { clientFor, ok, type Session } from '../session.js';

export function Login({ onLogin }: { onLogin: (s: Session) => void }) {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const res = await ok(clientFor(null).POST('/v1/auth/login', { body: { email, password } }));
      // A platform admin may belong to no tenant: the console then shows the platform pages only.
      if (res.tenants.length === 0 && !res.platformAdmin) {
        setError('This user belongs to no tenant yet: ask an owner for an invitation.');
        return;
      }
      onLogin({
        token: res.token,
        tenants: res.tenants,
        tenantId: res.tenants[0]?.id ?? '',
        platformAdmin: res.platformAdmin,
        email,
      });
    } catch (err) {
      setError((err as Error).message || 'Login failed');
    } finally {
      setBusy(false);
    }
  };
  return (
    <main id="main" class="login">
      <h1>Frontdesk</h1>
      <form onSubmit={submit} class="card">
        <h2>Log in</h2>
        <label>
          Email
          <input
            type="email"
            autoComplete="username"
            required
            value={email}
            onInput={(e) => setEmail((e.target as HTMLInputElement).value)}
          />
        </label>
        <label>
          Password
          <input
            type="password"
            autoComplete="current-password"
            required
            value={password}
            onInput={(e) => setPassword((e.target as HTMLInputElement).value)}
          />
        </label>
        {error && (
          <p class="error" role="alert">
            {error}
          </p>
        )}
        <button type="submit" class="primary" disabled={busy}>
          Log in
        </button>
      </form>
    </main>
  );
}
