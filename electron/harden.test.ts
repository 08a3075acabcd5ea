import { describe, expect, it } from 'vitest';
import {
  appNavigationAllowed,
  type HardenableContents,
  hardenWebContents,
  isAllowedRequest,
  isPreviewFrameUrl,
  isPrintViewerUrl,
} from './harden';

type Handler = (event: { preventDefault(): void; url?: string }, url?: string) => void;

// A stand-in for Electron's WebContents (Electron mocked): it records listeners and the open handler.
function fakeContents() {
  const listeners = new Map<string, Handler>();
  let openHandler: ((d: { url: string }) => { action: 'deny' }) | null = null;
  const contents = {
    on: (event: string, listener: Handler) => void listeners.set(event, listener),
    setWindowOpenHandler: (h: (d: { url: string }) => { action: 'deny' }) => {
      openHandler = h;
    },
  } as unknown as HardenableContents;
  const fire = (event: string, url: string, passUrlAsArg = false, isMainFrame?: boolean) => {
    let prevented = false;
    const e = {
      preventDefault: () => (prevented = true),
      ...(passUrlAsArg ? {} : { url }),
      ...(isMainFrame === undefined ? {} : { isMainFrame }),
    };
    listeners.get(event)?.(e, passUrlAsArg ? url : undefined);
    return prevented;
  };
  return { contents, fire, open: (url: string) => openHandler?.({ url }), listeners };
}

function harden(serverOrigin: string | null = null) {
  const fake = fakeContents();
  const opened: string[] = [];
  const log: string[] = [];
  hardenWebContents(fake.contents, {
    allowNavigation: appNavigationAllowed,
    externalOrigins: () => (serverOrigin ? [serverOrigin] : []),
    openExternal: (url) => void opened.push(url),
    log: (m) => log.push(m),
  });
  return { ...fake, opened, log };
}

describe('hardenWebContents (Electron mocked: WebContents)', () => {
  it('lets the app navigate within app://xueji', () => {
    const h = harden();
    expect(h.fire('will-navigate', 'app://xueji/index.html#/roster')).toBe(false);
    expect(h.fire('will-frame-navigate', 'app://xueji/index.html')).toBe(false);
  });

  it.each([
    'https://evil.com/',
    'file:///etc/passwd',
    'javascript:alert(1)',
    'data:text/html,x',
    'app://evil/',
    'https://www.moe.gov.cn/',
  ])('blocks navigation of the window to %s', (url) => {
    const h = harden();
    expect(h.fire('will-navigate', url)).toBe(true);
    expect(h.fire('will-frame-navigate', url)).toBe(true);
    expect(h.fire('will-redirect', url)).toBe(true);
    // the older listener signature passes the URL as the second argument
    expect(h.fire('will-navigate', url, true)).toBe(true);
  });

  it('lets the print preview iframe show an app blob: PDF in the PDF viewer, in subframes only', () => {
    const h = harden();
    const blob = 'blob:app://xueji/0f8fad5b-d9cb-469f-a165-70867728950e';
    const viewer = 'chrome-extension://mhjfbmdgcfjbbpaeojofohoefgiehjai/index.html';
    expect(h.fire('will-frame-navigate', blob, false, false)).toBe(false);
    expect(h.fire('will-frame-navigate', viewer, false, false)).toBe(false);
    // never the main frame, and never on the plain navigation events
    expect(h.fire('will-frame-navigate', blob, false, true)).toBe(true);
    expect(h.fire('will-frame-navigate', blob)).toBe(true);
    expect(h.fire('will-navigate', blob)).toBe(true);
  });

  it.each([
    'blob:https://evil.com/0f8fad5b-d9cb-469f-a165-70867728950e',
    'blob:app://evil/0f8fad5b-d9cb-469f-a165-70867728950e',
    'blob:app://xueji/../../etc/passwd',
    'blob:app://xueji/0f8fad5b-d9cb-469f-a165-70867728950e#x',
    'BLOB:app://xueji/0f8fad5b-d9cb-469f-a165-70867728950e',
    'chrome-extension://aaaabbbbccccddddeeeeffffgggghhhh/index.html',
    'chrome-extension://mhjfbmdgcfjbbpaeojofohoefgiehjai.evil.com/',
    'chrome-extension://mhjfbmdgcfjbbpaeojofohoefgiehjai/ x',
    'data:application/pdf;base64,JVBERi0=',
    'https://evil.com/x.pdf',
  ])('blocks a subframe navigation to the hostile URL %s', (url) => {
    const h = harden();
    expect(isPreviewFrameUrl(url)).toBe(false);
    expect(h.fire('will-frame-navigate', url, false, false)).toBe(true);
  });

  it('sends a blocked navigation to a trusted https link to the system browser, nothing else', () => {
    const h = harden();
    h.fire('will-navigate', 'https://www.moe.gov.cn/srcsite/');
    h.fire('will-navigate', 'https://evil.com/');
    h.fire('will-navigate', 'https://www.moe.gov.cn@evil.com/');
    expect(h.opened).toEqual(['https://www.moe.gov.cn/srcsite/']);
  });

  it('denies every new window; only trusted https links open externally', () => {
    const h = harden('https://xj.example.gov.cn');
    for (const url of [
      'https://www.chsi.com.cn/',
      'https://xj.example.gov.cn/help',
      'http://www.moe.gov.cn/',
      'file:///C:/',
      'javascript:alert(1)',
      'app://xueji/index.html',
      'about:blank',
    ]) {
      expect(h.open(url)).toEqual({ action: 'deny' });
    }
    expect(h.opened).toEqual(['https://www.chsi.com.cn/', 'https://xj.example.gov.cn/help']);
  });

  it('refuses every <webview>', () => {
    const h = harden();
    expect(h.fire('will-attach-webview', '')).toBe(true);
  });
});

describe('isPrintViewerUrl', () => {
  it('allows the local PDF and the viewer only', () => {
    expect(isPrintViewerUrl('file:///tmp/xueji-print-abc/a.pdf')).toBe(true);
    expect(isPrintViewerUrl('chrome-extension://mhjfbmdgcfjbbpaeojofohoefgiehjai/index.html')).toBe(true);
    expect(isPrintViewerUrl('https://evil.com/')).toBe(false);
    expect(isPrintViewerUrl('file://server/share/x.pdf')).toBe(false);
    expect(isPrintViewerUrl('app://xueji/')).toBe(false);
  });
});

describe('isAllowedRequest (no remote content)', () => {
  it('lets app, data, the app’s blobs and the configured server through', () => {
    expect(isAllowedRequest('app://xueji/assets/a.js', null)).toBe(true);
    expect(isAllowedRequest('data:image/png;base64,AAAA', null)).toBe(true);
    expect(isAllowedRequest('blob:app://xueji/6f1c', null)).toBe(true);
    expect(isAllowedRequest('chrome-extension://mhjfbmdgcfjbbpaeojofohoefgiehjai/index.js', null)).toBe(true);
    expect(isAllowedRequest('chrome-extension://aaaabbbbccccddddeeeeffffgggghhhh/index.js', null)).toBe(
      false,
    );
    expect(isAllowedRequest('https://xj.example.gov.cn/sync/pull', 'https://xj.example.gov.cn')).toBe(true);
  });

  it.each([
    ['a CDN font', 'https://fonts.googleapis.com/css2?family=Noto'],
    ['RxDB dev-mode iframe', 'https://rxdb.info/dev-mode-iframe.html'],
    ['Google spellcheck dictionaries', 'https://redirector.gvt1.com/edgedl/chrome/dict/en-us-10-1.bdic'],
    ['file:', 'file:///etc/passwd'],
    ['plain http to the server', 'http://xj.example.gov.cn/sync/pull'],
    ['another port of the server', 'https://xj.example.gov.cn:444/'],
    ['userinfo to the server', 'https://a@xj.example.gov.cn/'],
    ['a foreign blob', 'blob:https://evil.com/1'],
    ['websocket', 'wss://xj.example.gov.cn/'],
  ])('cancels %s', (_name, url) => {
    expect(isAllowedRequest(url, 'https://xj.example.gov.cn')).toBe(false);
  });
});
