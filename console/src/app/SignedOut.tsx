export function SignedOut() {
  return (
    <main className="center">
      <h1>Signed out</h1>
      <p>Your tokens were revoked and forgotten.</p>
      <a className="button" href="/console">
        Sign in again
      </a>
    </main>
  );
}
