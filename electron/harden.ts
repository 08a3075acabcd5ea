// Locks down every WebContents the app creates (Electron security checklist items 11–14): no navigation
// away from the app, no new windows, no <webview>, and only allow-listed https links go to the system
// browser. Written against a structural type so a test can drive it with a fake WebContents.
import { isAllowedExternalUrl, isAppUrl } from './trusted-url';

type PreventableEvent = { preventDefault(): void };
type NavigationEvent = PreventableEvent & { url?: string; isMainFrame?: boolean };

export type HardenableContents = {
  on(event: 'will-navigate', listener: (event: NavigationEvent, url?: string) => void): unknown;
  on(event: 'will-frame-navigate', listener: (event: NavigationEvent) => void): unknown;
  on(event: 'will-redirect', listener: (event: NavigationEvent, url?: string) => void): unknown;
  on(event: 'will-attach-webview', listener: (event: PreventableEvent) => void): unknown;
  setWindowOpenHandler(handler: (details: { url: string }) => { action: 'deny' }): void;
};

export type HardenOptions = {
  /** may this contents navigate to `url`? (the app window: app://xueji only) */
  allowNavigation(url: string): boolean;
  /** origins besides the static allow-list that may open in the system browser (the provincial server) */
  externalOrigins(): readonly string[];
  openExternal(url: string): Promise<void> | void;
  log?(message: string): void;
};

/** Chromium's built-in PDF viewer extension, which renders a PDF shown in a frame. */
const PDF_VIEWER_ORIGIN = 'chrome-extension://mhjfbmdgcfjbbpaeojofohoefgiehjai/';

/**
 * The in-app print preview shows the real PDF in an iframe from a blob: URL the app itself created
 * (renderer/src/features/print/PrintPreview.tsx), which Chromium hands to its PDF viewer. Only those two
 * kinds of URL may load in a subframe of the app window; the main frame never leaves app://xueji.
 */
export function isPreviewFrameUrl(raw: string): boolean {
  return (
    /^blob:app:\/\/xueji\/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(raw) ||
    (raw.startsWith(PDF_VIEWER_ORIGIN) && !/[\s\\]/.test(raw))
  );
}

/** The print window shows a local PDF in Chromium's viewer (an extension frame); nothing else. */
export function isPrintViewerUrl(raw: string): boolean {
  return raw === 'about:blank' || /^file:\/\/\//i.test(raw) || /^chrome-extension:\/\//i.test(raw);
}

export function hardenWebContents(contents: HardenableContents, options: HardenOptions): void {
  const log = options.log ?? ((m: string) => console.warn(m));
  const openIfAllowed = (url: string) => {
    if (isAllowedExternalUrl(url, options.externalOrigins())) {
      void Promise.resolve(options.openExternal(url)).catch((e) =>
        log(`[shell] openExternal failed: ${String(e)}`),
      );
      return true;
    }
    return false;
  };
  const guardNavigation = (event: NavigationEvent, url: string | undefined, kind: string) => {
    const target = event.url ?? url ?? '';
    if (options.allowNavigation(target)) return;
    event.preventDefault();
    // A plain <a href="https://www.moe.gov.cn/…"> click: hand it to the system browser, if trusted.
    if (!openIfAllowed(target)) log(`[shell] blocked ${kind} to ${target}`);
  };
  contents.on('will-navigate', (event, url) => guardNavigation(event, url, 'navigation'));
  contents.on('will-frame-navigate', (event) => {
    const target = event.url ?? '';
    if (options.allowNavigation(target)) return;
    if (event.isMainFrame === false && isPreviewFrameUrl(target)) return;
    event.preventDefault();
    log(`[shell] blocked frame navigation to ${target}`);
  });
  contents.on('will-redirect', (event, url) => guardNavigation(event, url, 'redirect'));
  contents.on('will-attach-webview', (event) => {
    event.preventDefault();
    log('[shell] blocked <webview>');
  });
  contents.setWindowOpenHandler(({ url }) => {
    if (!openIfAllowed(url)) log(`[shell] blocked new window for ${url}`);
    return { action: 'deny' };
  });
}

/** The app window's navigation rule. */
export const appNavigationAllowed = (url: string): boolean => isAppUrl(url);

/**
 * Which requests the app session lets out (webRequest.onBeforeRequest): the app itself, in-memory data,
 * DevTools in development, and the configured provincial server. Everything else — fonts from a CDN,
 * an RxDB dev-mode iframe, analytics — is cancelled, so "no remote content" holds even if the CSP failed.
 */
export function isAllowedRequest(raw: string, serverOrigin: string | null): boolean {
  if (isAppUrl(raw)) return true;
  const lower = raw.slice(0, 20).toLowerCase();
  if (lower.startsWith('data:') || lower.startsWith('blob:app://xueji/')) return true;
  if (lower.startsWith('devtools://')) return true;
  // The PDF viewer's own resources, for the print preview (isPreviewFrameUrl).
  if (raw.startsWith(PDF_VIEWER_ORIGIN)) return true;
  if (serverOrigin) {
    try {
      const url = new URL(raw);
      if (url.origin === serverOrigin && url.username === '' && url.password === '') return true;
    } catch {
      return false;
    }
  }
  return false;
}
