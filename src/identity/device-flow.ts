import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Configuration, KoaContextWithOIDC } from 'oidc-provider';
import { deviceCodePage, deviceConfirmPage, deviceDonePage, PAGE_HEADERS } from './login-pages.js';

type Features = NonNullable<Configuration['features']>;

const ERRORS: Record<string, string> = {
  NoCodeError: 'Enter the code.',
  NotFoundError: 'That code is not known here. Check it and try again.',
  ExpiredError: 'That code has expired. Start again from your terminal.',
  AlreadyUsedError: 'That code has already been used. Start again from your terminal.',
  AbortedError: 'The sign-in was aborted.',
};

function send(ctx: KoaContextWithOIDC, html: string): void {
  ctx.set(PAGE_HEADERS);
  ctx.body = html;
}

/**
 * The device authorization grant (RFC 8628) for shells without a browser: `gatehouse login
 * --device` shows a code, the user enters it at `/oauth/device` on any device and signs in there
 * through the same login page as everyone else.
 */
export function deviceFlowFeature(): Pick<Features, 'deviceFlow'> {
  return {
    deviceFlow: {
      enabled: true,
      charset: 'base-20',
      mask: '****-****',
      userCodeInputSource: async (ctx, form, _out, err) => {
        const name = (err as { name?: string } | undefined)?.name;
        send(ctx, deviceCodePage(form, err ? (ERRORS[name ?? ''] ?? 'The code could not be checked. Try again.') : undefined));
      },
      userCodeConfirmSource: async (ctx, form, client, _deviceInfo, userCode) => {
        send(ctx, deviceConfirmPage(form, client.clientName ?? client.clientId, userCode));
      },
      successSource: async (ctx) => {
        send(ctx, deviceDonePage(ctx.oidc.client?.clientName ?? ctx.oidc.client?.clientId ?? 'The device'));
      },
    },
  };
}

/**
 * The device authorization endpoint takes POST only (RFC 8628 §3.1); oidc-provider would route a
 * GET of `/device/auth` to the device resume step with `auth` as its id and fail there. Answers
 * another method with an OAuth error (true when answered).
 */
export function refuseDeviceAuthorizationMethod(req: IncomingMessage, res: ServerResponse, inner: string): boolean {
  if (inner !== '/device/auth' || req.method === 'POST' || req.method === 'OPTIONS') return false;
  const body = JSON.stringify({ error: 'invalid_request', error_description: 'the device authorization endpoint accepts POST only' });
  res.writeHead(405, {
    allow: 'POST, OPTIONS',
    'content-type': 'application/json; charset=utf-8',
    'cache-control': 'no-store',
    'content-length': Buffer.byteLength(body),
  });
  res.end(body);
  return true;
}

/**
 * A device resume link that is stale or made up (no interaction behind it): oidc-provider renders
 * the code form for it, then throws saving the never-persisted session that form's XSRF secret is
 * in, which would be a 500. The caller is sent to the code form, which starts a session properly.
 */
export async function recoverStaleDeviceResume(ctx: KoaContextWithOIDC, next: () => Promise<unknown>): Promise<void> {
  try {
    await next();
  } catch (err) {
    if (ctx.oidc?.route !== 'device_resume' || !(err instanceof TypeError) || !err.message.startsWith('persist can only be called')) throw err;
    ctx.status = 303;
    ctx.redirect(ctx.oidc.urlFor('code_verification'));
  }
}
