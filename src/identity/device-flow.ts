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
