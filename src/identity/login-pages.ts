import { createHash } from 'node:crypto';
import type { ServerResponse } from 'node:http';

const STYLE = [
  'body{font-family:system-ui,sans-serif;background:#f4f5f7;margin:0;display:flex;justify-content:center}',
  'main{background:#fff;margin-top:10vh;padding:2rem;border-radius:8px;box-shadow:0 1px 4px #0002;width:22rem}',
  'h1{font-size:1.3rem;margin-top:0}label{display:block;margin:.8rem 0 .3rem}',
  'input{width:100%;box-sizing:border-box;padding:.5rem;font-size:1rem}',
  'button{margin-top:1.2rem;padding:.55rem 1rem;font-size:1rem}.error{color:#b00020}',
  'dl{word-break:break-all}dt{font-weight:600;margin-top:.6rem}',
].join('');
// The only inline content is this stylesheet, so the CSP can allow exactly it and nothing else.
const STYLE_HASH = createHash('sha256').update(STYLE).digest('base64');
const CSP = `default-src 'none'; style-src 'sha256-${STYLE_HASH}'; frame-ancestors 'none'; base-uri 'none'`;

/** Escapes text for HTML element content and quoted attribute values. */
export function escapeHtml(value: string): string {
  return value.replace(/[&<>"'`]/g, (c) => `&#${c.charCodeAt(0)};`);
}

/**
 * The sign-in form; `error` is shown above it after a failed attempt. `idps`: the identity
 * providers consumer profiles trust, each a "Sign in with …" button (Gateway MCP sign-ins).
 */
export function loginPage(opts: {
  action: string;
  csrf: string;
  clientName: string;
  username?: string;
  error?: string;
  idps?: ReadonlyArray<{ key: string; label: string }>;
}): string {
  const federated = (opts.idps ?? [])
    .map(
      (idp) => `<form method="post" action="${escapeHtml(opts.action)}">
<input type="hidden" name="csrf" value="${escapeHtml(opts.csrf)}">
<button type="submit" name="idp" value="${escapeHtml(idp.key)}">Sign in with ${escapeHtml(idp.label)}</button>
</form>`,
    )
    .join('\n');
  return layout(
    'Sign in',
    `<h1>Sign in to Gatehouse</h1>
<p>to continue to ${escapeHtml(opts.clientName)}</p>
${opts.error ? `<p class="error" role="alert">${escapeHtml(opts.error)}</p>` : ''}
<form method="post" action="${escapeHtml(opts.action)}" autocomplete="on">
<input type="hidden" name="csrf" value="${escapeHtml(opts.csrf)}">
<label for="username">Username</label>
<input id="username" name="username" autocomplete="username" required autofocus value="${escapeHtml(opts.username ?? '')}">
<label for="password">Password</label>
<input id="password" name="password" type="password" autocomplete="current-password" required>
<button type="submit">Sign in</button>
</form>
${federated ? `<p>or</p>\n${federated}` : ''}`,
  );
}

/** The consent page for a client that is not one of ours. */
export function consentPage(opts: {
  action: string;
  csrf: string;
  clientName: string;
  clientId: string;
  redirectUri: string;
  scopes: string[];
  resources: string[];
  /** For a Gateway MCP sign-in: the profiles the person may act as, one to pick. */
  profiles?: ReadonlyArray<{ profileId: string; label: string }>;
}): string {
  const list = (items: string[]) => (items.length ? items.map(escapeHtml).join('<br>') : '<em>none</em>');
  const choose = opts.profiles
    ? `<fieldset><legend>Act as</legend>${opts.profiles
        .map(
          (p, i) =>
            `<label><input type="radio" name="profile" value="${escapeHtml(p.profileId)}"${i === 0 ? ' checked' : ''}> ${escapeHtml(p.label)}</label><br>`,
        )
        .join('')}</fieldset>`
    : '';
  return layout(
    'Authorize',
    `<h1>Authorize ${escapeHtml(opts.clientName)}</h1>
<p>This application wants to act on your behalf.</p>
<dl>
<dt>Client</dt><dd>${escapeHtml(opts.clientName)} (${escapeHtml(opts.clientId)})</dd>
<dt>Returns to</dt><dd>${escapeHtml(opts.redirectUri)}</dd>
<dt>Scopes</dt><dd>${list(opts.scopes)}</dd>
<dt>APIs</dt><dd>${list(opts.resources)}</dd>
</dl>
<form method="post" action="${escapeHtml(opts.action)}">
<input type="hidden" name="csrf" value="${escapeHtml(opts.csrf)}">
${choose}
<button type="submit" name="decision" value="allow">Allow</button>
<button type="submit" name="decision" value="deny">Deny</button>
</form>`,
  );
}

/**
 * The device sign-in pages (RFC 8628): `form` is oidc-provider's own form (its hidden CSRF field
 * and the code field), which these pages only frame and give a submit button.
 */
export function deviceCodePage(form: string, error?: string): string {
  return layout(
    'Device sign-in',
    `<h1>Sign in a device</h1>
<p>Enter the code your terminal shows.</p>
${error ? `<p class="error" role="alert">${escapeHtml(error)}</p>` : ''}
${form}
<button type="submit" form="op.deviceInputForm">Continue</button>`,
  );
}

/** Asks the user to confirm that the code on the screen is the one their device shows. */
export function deviceConfirmPage(form: string, clientName: string, userCode: string): string {
  return layout(
    'Confirm device',
    `<h1>Confirm the device</h1>
<p>${escapeHtml(clientName)} wants to sign in as you. Continue only if your terminal shows this code:</p>
<p><strong>${escapeHtml(userCode)}</strong></p>
${form}
<button type="submit" form="op.deviceConfirmForm">Continue</button>
<button type="submit" form="op.deviceConfirmForm" name="abort" value="yes">Abort</button>`,
  );
}

/** Shown once the device has been signed in. */
export function deviceDonePage(clientName: string): string {
  return layout('Signed in', `<h1>Signed in</h1><p>${escapeHtml(clientName)} is signed in. You can close this page.</p>`);
}

/** A terminal error page (expired or unknown sign-in attempt, bad request). */
export function errorPage(message: string): string {
  return layout('Sign-in problem', `<h1>Sign-in problem</h1><p>${escapeHtml(message)}</p>`);
}

/** The end of an upstream connect flow: connected, or why not. */
export function connectPage(title: string, message: string): string {
  return layout(title, `<h1>${escapeHtml(title)}</h1><p>${escapeHtml(message)}</p>`);
}

/** Headers for every page: no framing, caching, sniffing, referrers or external content. */
export const PAGE_HEADERS: Readonly<Record<string, string>> = {
  'Content-Type': 'text/html; charset=utf-8',
  'Content-Security-Policy': CSP,
  'X-Frame-Options': 'DENY',
  'Cache-Control': 'no-store',
  'Referrer-Policy': 'no-referrer',
  'X-Content-Type-Options': 'nosniff',
};

/** Sends a page with PAGE_HEADERS. */
export function sendPage(res: ServerResponse, status: number, html: string): void {
  res.statusCode = status;
  for (const [name, value] of Object.entries(PAGE_HEADERS)) res.setHeader(name, value);
  res.end(html);
}

function layout(title: string, body: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${escapeHtml(title)} · Gatehouse</title><style>${STYLE}</style></head>
<body><main>${body}</main></body></html>`;
}
