import { UnauthorizedApiError } from '@beaker-integrations/client';
import type { ProviderInfo } from '@beaker-integrations/model';
import { useCallback, useEffect, useMemo, useState, type FormEvent } from 'react';

import { AppContext, type AppState } from './app-context.js';
import { ConfirmProvider, useConfirm } from './components/confirm.js';
import { ErrorBanner } from './components/error-banner.js';
import { DEFAULT_SESSION, storeToken, withToken, type Connection } from './connection.js';
import { Link, setLeaveConfirmation, setStickyQuery, useLocation, type Route } from './router.js';
import { useAsync } from './use-async.js';
import { CreateView } from './views/create-view.js';
import { EditView } from './views/edit-view.js';
import { IntegrationView } from './views/integration-view.js';
import { ListView } from './views/list-view.js';

export function App({ initial }: { initial: Connection }) {
  return (
    <ConfirmProvider>
      <Shell initial={initial} />
    </ConfirmProvider>
  );
}

function Shell({ initial }: { initial: Connection }) {
  const [connection, setConnection] = useState(initial);
  const { client, sessionId } = connection;
  const { route } = useLocation();
  const confirm = useConfirm();
  const providers = useAsync<Record<string, ProviderInfo>>(() => client.listProviders(), [client]);

  useEffect(() => {
    setStickyQuery(
      new URLSearchParams(sessionId === DEFAULT_SESSION ? {} : { session: sessionId }),
    );
  }, [sessionId]);

  useEffect(() => {
    setLeaveConfirmation(() =>
      confirm({
        title: 'Leave without saving?',
        message: <p>This page has unsaved changes. Leaving discards them.</p>,
        confirmLabel: 'Discard changes',
        cancelLabel: 'Stay on this page',
        danger: true,
      }),
    );
  }, [confirm]);

  const changeToken = useCallback(
    (token: string) => {
      storeToken(sessionStorage, token);
      setConnection(
        withToken(sessionId, connection.sessionError, token === '' ? undefined : token),
      );
    },
    [sessionId, connection.sessionError],
  );

  const unauthorized =
    providers.state.status === 'error' && providers.state.error instanceof UnauthorizedApiError;

  const state = useMemo<AppState>(
    () => ({
      client,
      sessionId,
      providers: providers.state.status === 'ready' ? providers.state.value : undefined,
      reloadProviders: providers.reload,
    }),
    [client, sessionId, providers.state, providers.reload],
  );

  return (
    <AppContext.Provider value={state}>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="topbar">
        <Link to={{ name: 'list' }} className="brand">
          Integrations
        </Link>
        <span className="session" title="Set with ?session= in the address">
          Session <code>{sessionId}</code>
        </span>
        <TokenForm hasToken={connection.token !== undefined} onSave={changeToken} />
      </header>
      <main id="main">
        {connection.sessionError !== undefined && (
          <p className="banner error" role="alert">
            {connection.sessionError}
          </p>
        )}
        {providers.state.status === 'error' && (
          <ErrorBanner error={providers.state.error} context={{ subject: 'list' }}>
            <button type="button" onClick={providers.reload}>
              Try again
            </button>
          </ErrorBanner>
        )}
        {/* Without a valid token every view would fail with the same message. */}
        {!unauthorized && <View route={route} />}
      </main>
    </AppContext.Provider>
  );
}

function View({ route }: { route: Route }) {
  switch (route.name) {
    case 'list':
      return <ListView />;
    case 'create':
      return <CreateView />;
    case 'integration':
      return <IntegrationView key={route.id} id={route.id} />;
    case 'edit':
      return <EditView key={route.id} id={route.id} />;
    case 'not-found':
      return (
        <>
          <h1 tabIndex={-1}>Page not found</h1>
          <p>
            There is no page at <code>{route.path}</code>.{' '}
            <Link to={{ name: 'list' }}>Go to all integrations</Link>.
          </p>
        </>
      );
  }
}

/** Sets the bearer token for a service that requires one, kept in this tab's sessionStorage. */
function TokenForm({ hasToken, onSave }: { hasToken: boolean; onSave(token: string): void }) {
  const [token, setToken] = useState('');

  const submit = (event: FormEvent) => {
    event.preventDefault();
    onSave(token.trim());
    setToken('');
  };

  return (
    <details className="token">
      <summary>{hasToken ? 'Access token: set' : 'Access token'}</summary>
      <form onSubmit={submit}>
        <label className="field">
          <span>Bearer token for this tab</span>
          <input
            type="password"
            autoComplete="off"
            value={token}
            onChange={(event) => setToken(event.target.value)}
          />
        </label>
        <div className="actions">
          <button type="submit" className="primary">
            {token.trim() === '' ? 'Clear token' : 'Use token'}
          </button>
        </div>
      </form>
    </details>
  );
}
