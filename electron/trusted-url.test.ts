import { describe, expect, it } from 'vitest';
import {
  APP_ENTRY_URL,
  decidePermission,
  isAllowedExternalUrl,
  isAppUrl,
  normaliseServerOrigin,
  parseStrictUrl,
} from './trusted-url';

describe('isAppUrl (STYLE rule 6: trust checks tested with hostile input)', () => {
  it.each([
    APP_ENTRY_URL,
    'app://xueji/',
    'app://xueji/assets/index-abc123.js',
    'app://xueji/index.html#/roster?q=zs',
    // Chromium lower-cases a standard scheme's host; the check must agree with it.
    'APP://XUEJI/index.html',
  ])('accepts our own origin: %s', (url) => {
    expect(isAppUrl(url)).toBe(true);
  });

  it.each([
    ['javascript: URL', 'javascript:alert(1)'],
    ['javascript with our origin in it', 'javascript://app://xueji/%0aalert(1)'],
    ['data: URL', 'data:text/html,<script>alert(1)</script>'],
    ['data: URL mentioning the origin', 'data:text/html;app://xueji/,x'],
    ['file: URL', 'file:///etc/passwd'],
    ['file: URL on Windows', 'file:///C:/Windows/System32/drivers/etc/hosts'],
    ['another app host', 'app://evil/'],
    ['look-alike host', 'app://xueji.evil.com/'],
    ['host with suffix', 'app://xuejix/'],
    ['trailing-dot host', 'app://xueji./index.html'],
    ['percent-encoded host', 'app://%78ueji/'],
    ['user info', 'app://attacker@xueji/'],
    ['user info with password', 'app://a:b@xueji/'],
    ['port', 'app://xueji:8080/'],
    ['opaque form without slashes', 'app:xueji/index.html'],
    ['empty host', 'app:///xueji/index.html'],
    ['origin without path', 'app://xueji'],
    ['https origin', 'https://xueji/'],
    ['http localhost', 'http://localhost:5173/'],
    ['leading space', ' app://xueji/'],
    ['trailing newline', 'app://xueji/\n'],
    ['tab inside the scheme', 'ap\tp://xueji/'],
    ['newline inside the host', 'app://xue\nji/'],
    ['NUL', 'app://xueji/\u0000'],
    ['zero-width space in host', 'app://xue\u200bji/'],
    ['full-width space', '\u3000app://xueji/'],
    ['BOM prefix', '\ufeffapp://xueji/'],
    ['backslashes', 'app:\\\\xueji\\'],
    ['empty string', ''],
    ['not a string', { toString: (): string => 'app://xueji/' }],
    ['null', null],
    ['undefined', undefined],
    ['very long', `app://xueji/${'a'.repeat(9000)}`],
  ])('refuses %s', (_name, url) => {
    expect(isAppUrl(url)).toBe(false);
  });

  it('keeps traversal inside the origin: the path is the protocol handler’s job (tested there)', () => {
    // The URL parser folds "../" and "%2e%2e/" into the path; the origin stays ours.
    expect(isAppUrl('app://xueji/../../etc/passwd')).toBe(true);
    expect(parseStrictUrl('app://xueji/../../etc/passwd')?.pathname).toBe('/etc/passwd');
    expect(parseStrictUrl('app://xueji/%2e%2e/%2e%2e/etc/passwd')?.pathname).toBe('/etc/passwd');
  });
});

describe('isAllowedExternalUrl', () => {
  it.each([
    'https://www.moe.gov.cn/jyb_xxgk/',
    'https://moe.gov.cn/',
    'https://www.chsi.com.cn/',
    'HTTPS://WWW.MOE.GOV.CN/',
  ])('lets an official https link go to the system browser: %s', (url) => {
    expect(isAllowedExternalUrl(url)).toBe(true);
  });

  it.each([
    ['plain http', 'http://www.moe.gov.cn/'],
    ['javascript:', 'javascript:alert(1)'],
    ['data:', 'data:text/html,hi'],
    ['file:', 'file:///C:/Windows/'],
    ['our app scheme', 'app://xueji/'],
    ['smb share', 'smb://server/share'],
    ['custom protocol handler', 'ms-msdt:/id PCWDiagnostic'],
    ['userinfo trick', 'https://www.moe.gov.cn@evil.com/'],
    ['userinfo trick, trusted as user', 'https://trusted@evil.com'],
    ['userinfo on a trusted host', 'https://user:pass@www.moe.gov.cn/'],
    ['suffix without dot boundary', 'https://evilmoe.gov.cn/'],
    ['trusted name as sub-domain of evil', 'https://moe.gov.cn.evil.com/'],
    ['trailing-dot host', 'https://www.moe.gov.cn./'],
    ['non-default port', 'https://www.moe.gov.cn:8443/'],
    ['IDN look-alike (Cyrillic о)', 'https://www.mоe.gov.cn/'],
    ['punycode host', 'https://xn--m-0tb.gov.cn/'],
    ['leading space', ' https://www.moe.gov.cn/'],
    ['embedded newline', 'https://www.moe.gov.cn/\nx'],
    ['tab in scheme', 'ht\ttps://www.moe.gov.cn/'],
    ['backslash authority', 'https:\\\\evil.com\\www.moe.gov.cn'],
    ['scheme-relative', '//www.moe.gov.cn/'],
    ['mixed case javascript', 'JaVaScRiPt:alert(1)'],
    ['not a string', 42],
  ])('refuses %s', (_name, url) => {
    expect(isAllowedExternalUrl(url)).toBe(false);
  });

  it('allows the configured server origin exactly, and nothing that merely starts like it', () => {
    const server = 'https://xj.jyt.example.gov.cn:8443';
    expect(isAllowedExternalUrl('https://xj.jyt.example.gov.cn:8443/help', [server])).toBe(true);
    expect(isAllowedExternalUrl('https://xj.jyt.example.gov.cn/help', [server])).toBe(false);
    expect(isAllowedExternalUrl('https://xj.jyt.example.gov.cn:8443.evil.com/', [server])).toBe(false);
  });
});

describe('normaliseServerOrigin', () => {
  it('keeps a clean https origin and loopback http', () => {
    expect(normaliseServerOrigin('https://XJ.example.gov.cn')).toBe('https://xj.example.gov.cn');
    expect(normaliseServerOrigin('https://xj.example.gov.cn:8443/')).toBe('https://xj.example.gov.cn:8443');
    expect(normaliseServerOrigin('http://localhost:8787')).toBe('http://localhost:8787');
    expect(normaliseServerOrigin('http://127.0.0.1:8787/')).toBe('http://127.0.0.1:8787');
  });

  it.each([
    'http://xj.example.gov.cn',
    'https://xj.example.gov.cn/api',
    'https://xj.example.gov.cn/?a=1',
    'https://user@xj.example.gov.cn',
    "https://xj.example.gov.cn; script-src 'unsafe-eval'",
    'https://xj.example.gov.cn *',
    'ws://xj.example.gov.cn',
    'javascript:alert(1)',
    'https://xj.example.gov.cn./',
    '*',
    '',
  ])('refuses %s (it would widen or break the CSP)', (raw) => {
    expect(normaliseServerOrigin(raw)).toBeNull();
  });
});

describe('decidePermission: deny by default', () => {
  it.each(['geolocation', 'notifications', 'clipboard-read', 'openExternal', 'fileSystem', 'usb', 'hid'])(
    'denies %s even to our app',
    (permission) => {
      expect(decidePermission({ permission, requestingUrl: APP_ENTRY_URL })).toBe(false);
    },
  );

  it('the camera (video only, for the QR scan of 核验表单) to our app; never the microphone, never elsewhere', () => {
    const video = { permission: 'media', requestingUrl: APP_ENTRY_URL, mediaTypes: ['video'] };
    expect(decidePermission(video)).toBe(true);
    expect(decidePermission({ ...video, requestingUrl: 'app://xueji' })).toBe(true);
    expect(decidePermission({ ...video, mediaTypes: ['audio'] })).toBe(false);
    expect(decidePermission({ ...video, mediaTypes: ['video', 'audio'] })).toBe(false);
    expect(decidePermission({ ...video, mediaTypes: [] })).toBe(false);
    expect(decidePermission({ permission: 'media', requestingUrl: APP_ENTRY_URL })).toBe(false);
    expect(decidePermission({ ...video, requestingUrl: 'https://evil.com/' })).toBe(false);
  });

  it('allows clipboard writes only to our own origin', () => {
    expect(decidePermission({ permission: 'clipboard-sanitized-write', requestingUrl: APP_ENTRY_URL })).toBe(
      true,
    );
    expect(decidePermission({ permission: 'clipboard-sanitized-write', requestingUrl: 'app://xueji' })).toBe(
      true,
    );
    expect(
      decidePermission({ permission: 'clipboard-sanitized-write', requestingUrl: 'https://evil.com/' }),
    ).toBe(false);
    expect(decidePermission({ permission: 'clipboard-sanitized-write', requestingUrl: null })).toBe(false);
  });
});
