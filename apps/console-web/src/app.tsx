import { useEffect, useState } from 'react';
import type { Me } from '@shop/console-api';
import { getJson, rememberCsrfToken, signOut } from './api';
import { AnalyticsPage } from './analytics-page';
import { OrderPage } from './order-page';
import { OrdersPage } from './orders-page';
import { HealthPage } from './health-page';
import { InventoryPage } from './inventory-page';
import { MessagingPage } from './messaging-page';
import { SchemaPage } from './schema-page';

/** Views by URL fragment (#/ and #/orders/<id>): links and the back button work, and the backend serves one page. */
function useRoute(): string {
  const [hash, setHash] = useState(window.location.hash);
  useEffect(() => {
    const changed = () => setHash(window.location.hash);
    window.addEventListener('hashchange', changed);
    return () => window.removeEventListener('hashchange', changed);
  }, []);
  return hash.replace(/^#/, '') || '/';
}

/** Who is signed in; getJson sends the browser to sign in when nobody is. */
function useMe(): { me: Me | null; error: string | null } {
  const [state, setState] = useState<{ me: Me | null; error: string | null }>({ me: null, error: null });
  useEffect(() => {
    getJson<Me>('/auth/me').then(
      (me) => {
        rememberCsrfToken(me.csrfToken);
        setState({ me, error: null });
      },
      (error: Error) => setState({ me: null, error: error.message }),
    );
  }, []);
  return state;
}

export function App() {
  const route = useRoute();
  const { me, error } = useMe();
  const order = /^\/orders\/([^/]+)$/.exec(route);
  const schema = /^\/schemas\/([^/]+)$/.exec(route);
  return (
    <>
      <header>
        <h1>
          <a href="#/">Shop console</a>
        </h1>
        {me?.admin && (
          <nav className="views">
            <a href="#/">Orders</a>
            <a href="#/inventory">Inventory</a>
            <a href="#/analytics">Analytics</a>
            <a href="#/messaging">Messaging</a>
            <a href="#/health">Health</a>
          </nav>
        )}
        {me && (
          <span className="user">
            <span data-testid="signed-in-user">{me.user}</span>{' '}
            <button type="button" onClick={() => void signOut()}>
              Sign out
            </button>
          </span>
        )}
      </header>
      <main>
        {error && <p className="error">{error}</p>}
        {me && !me.admin && (
          <p className="error" data-testid="not-admin">
            {me.user} is signed in but lacks the realm role 'admin', which the console needs.
          </p>
        )}
        {me?.admin && (order ? <OrderPage id={decodeURIComponent(order[1])} /> : schema ? <SchemaPage type={decodeURIComponent(schema[1])} /> : route === '/inventory' ? <InventoryPage /> : route === '/analytics' ? <AnalyticsPage /> : route === '/messaging' ? <MessagingPage /> : route === '/health' ? <HealthPage /> : <OrdersPage />)}
      </main>
    </>
  );
}
