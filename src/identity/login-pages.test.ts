import { describe, expect, it } from 'vitest';
import { consentPage, escapeHtml, loginPage } from './login-pages.js';

describe('login pages', () => {
  it('escapes everything that could break out of text or attributes', () => {
    expect(escapeHtml(`<a href="x" onclick='y'>&\``)).toBe('&#60;a href=&#34;x&#34; onclick=&#39;y&#39;&#62;&#38;&#96;');
  });

  it('renders the login form with the CSRF token and no scripts or external assets', () => {
    const html = loginPage({
      action: '/oauth/interaction/abc',
      csrf: 'tok',
      clientName: '<b>evil</b>',
      username: '"><script>',
      error: 'Invalid username or password.',
    });
    expect(html).toContain('name="csrf" value="tok"');
    expect(html).toContain('&#60;b&#62;evil&#60;/b&#62;');
    expect(html).not.toContain('<script');
    expect(html).not.toMatch(/src=|href=|https?:/);
    expect(html).toContain('role="alert"');
  });

  it('offers each identity provider as its own form, its name escaped, with the CSRF token', () => {
    const html = loginPage({ action: '/oauth/interaction/abc', csrf: 'tok', clientName: 'App', idps: [{ key: 'k1', label: 'Acme <SSO>' }] });
    expect(html).toContain('name="idp" value="k1"');
    expect(html).toContain('Sign in with Acme &#60;SSO&#62;');
    expect(html.match(/name="csrf" value="tok"/g)).toHaveLength(2);
    expect(loginPage({ action: '/a', csrf: 't', clientName: 'App' })).not.toContain('Sign in with');
  });

  it('names the client, redirect URI, scopes and APIs on the consent page', () => {
    const html = consentPage({
      action: '/oauth/interaction/abc',
      csrf: 'tok',
      clientName: 'Partner <App>',
      clientId: 'partner',
      redirectUri: 'https://partner.example/cb?x=1&y=2',
      scopes: ['openid', 'offline_access'],
      resources: ['https://gw/admin/api/v1'],
    });
    expect(html).toContain('Partner &#60;App&#62;');
    expect(html).toContain('https://partner.example/cb?x=1&#38;y=2');
    expect(html).toContain('offline_access');
    expect(html).toContain('https://gw/admin/api/v1');
    expect(html).toContain('value="allow"');
    expect(html).toContain('value="deny"');
  });
});
