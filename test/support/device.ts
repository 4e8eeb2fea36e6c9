import { browse, CookieJar } from './oauth.js';

/** What a device authorization request answers (RFC 8628 §3.2). */
export interface DeviceAuthorization {
  device_code: string;
  user_code: string;
  verification_uri: string;
  verification_uri_complete?: string;
  expires_in: number;
  interval?: number;
}

function formOf(page: string): { action: string; xsrf: string } {
  const action = /<form[^>]*action="([^"]+)"/.exec(page)?.[1];
  const xsrf = /name="xsrf" value="([^"]+)"/.exec(page)?.[1];
  if (!action || !xsrf) throw new Error(`no device form on the page: ${page.slice(0, 300)}`);
  return { action: action.replace(/&amp;|&#38;/g, '&'), xsrf };
}

async function post(url: string, jar: CookieJar, form: Record<string, string>): Promise<Response> {
  const res = await fetch(url, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: jar.header() },
    body: new URLSearchParams(form).toString(),
  });
  jar.store(res);
  return res;
}

/**
 * A person at a browser on another device: opens the verification page, types the user code,
 * confirms it, signs in through the login page. Returns the last page's status and HTML.
 */
export async function enterDeviceCode(opts: {
  verificationUri: string;
  userCode: string;
  username: string;
  password: string;
  /** Press Abort on the confirmation page instead of Continue. */
  abort?: boolean;
}): Promise<{ status: number; page: string }> {
  const jar = new CookieJar();
  const first = await fetch(opts.verificationUri, { redirect: 'manual' });
  jar.store(first);
  const input = formOf(await first.text());
  const url = new URL(input.action, opts.verificationUri).href;
  const confirmRes = await post(url, jar, { xsrf: input.xsrf, user_code: opts.userCode });
  const confirmPage = await confirmRes.text();
  if (!confirmPage.includes('op.deviceConfirmForm')) return { status: confirmRes.status, page: confirmPage };
  const confirm = formOf(confirmPage);
  const decided = await post(new URL(confirm.action, url).href, jar, {
    xsrf: confirm.xsrf,
    user_code: opts.userCode,
    ...(opts.abort ? { abort: 'yes' } : { confirm: 'yes' }),
  });
  const location = decided.headers.get('location');
  if (!location) return { status: decided.status, page: await decided.text() };
  const done = await browse(new URL(location, url).href, 'urn:nowhere', { username: opts.username, password: opts.password, jar });
  return { status: done.status ?? 0, page: done.page ?? '' };
}
