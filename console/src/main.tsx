import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { AccessProvider } from './access/AccessProvider';
import { App } from './app/App';
import { SignedOut } from './app/SignedOut';
import { ensureSignedIn } from './auth/session';
import './styles.css';

const root = createRoot(document.getElementById('root')!);
const queries = new QueryClient({ defaultOptions: { queries: { retry: 1, refetchOnWindowFocus: false } } });

async function boot() {
  if (location.pathname === '/console/signed-out') {
    root.render(<SignedOut />);
    return;
  }
  try {
    const user = await ensureSignedIn();
    root.render(
      <StrictMode>
        <QueryClientProvider client={queries}>
          <AccessProvider user={user}>
            <App />
          </AccessProvider>
        </QueryClientProvider>
      </StrictMode>,
    );
  } catch (err) {
    root.render(
      <main className="center">
        <h1>Sign-in failed</h1>
        <p role="alert">{err instanceof Error ? err.message : String(err)}</p>
        <a href="/console">Try again</a>
      </main>,
    );
  }
}

void boot();
