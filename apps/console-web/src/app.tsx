import { useEffect, useState } from 'react';
import { OrderPage } from './order-page';
import { OrdersPage } from './orders-page';

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

export function App() {
  const route = useRoute();
  const order = /^\/orders\/([^/]+)$/.exec(route);
  return (
    <>
      <header>
        <h1>
          <a href="#/">Shop console</a>
        </h1>
      </header>
      <main>{order ? <OrderPage id={decodeURIComponent(order[1])} /> : <OrdersPage />}</main>
    </>
  );
}
