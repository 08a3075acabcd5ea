// The Content-Security-Policy of every response the app window receives (set as a response header by
// the app:// protocol handler and by session.webRequest for anything else).
import { normaliseServerOrigin } from './trusted-url';

export type CspOptions = {
  /** the configured provincial server (settings); added to connect-src only when it is a clean origin */
  serverOrigin?: string | null;
};

/**
 * Build the policy. 'self' is app://xueji. Styles allow 'unsafe-inline' because antd's CSS-in-JS writes
 * <style> elements at run time; scripts never do. frame-src allows blob: only — the print preview frames
 * the PDF the renderer itself made (a blob: URL of our origin) — so no page, our own or remote, can be
 * framed, and RxDB dev-mode's rxdb.info iframe stays out (DESIGN.md pitfalls): a school app with minors'
 * data makes no third-party requests.
 */
export function buildCsp({ serverOrigin }: CspOptions = {}): string {
  const server = serverOrigin == null ? null : normaliseServerOrigin(serverOrigin);
  const connect = ["'self'", ...(server ? [server] : [])];
  const directives: [string, string[]][] = [
    ['default-src', ["'self'"]],
    ['script-src', ["'self'"]],
    ['style-src', ["'self'", "'unsafe-inline'"]],
    ['img-src', ["'self'", 'data:', 'blob:']],
    ['font-src', ["'self'", 'data:']],
    ['connect-src', connect],
    ['media-src', ["'self'", 'blob:']],
    // blob: as in renderer/index.html, so a worker the forms or import code spawns from a blob runs in
    // Electron exactly as in the browser build (both policies apply in Electron).
    ['worker-src', ["'self'", 'blob:']],
    ['frame-src', ['blob:']],
    ['child-src', ["'none'"]],
    ['object-src', ["'none'"]],
    ['base-uri', ["'none'"]],
    ['form-action', ["'none'"]],
    ['frame-ancestors', ["'none'"]],
  ];
  return directives.map(([name, values]) => `${name} ${values.join(' ')}`).join('; ');
}

/** Parse a policy into directive → sources, for tests and for the startup self-check. */
export function parseCsp(policy: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const part of policy.split(';')) {
    const [name, ...values] = part.trim().split(/\s+/);
    if (name) out.set(name.toLowerCase(), values);
  }
  return out;
}

/** Security headers added to every response of the app window. */
export function securityHeaders(options: CspOptions = {}): Record<string, string> {
  return {
    'Content-Security-Policy': buildCsp(options),
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'Cross-Origin-Opener-Policy': 'same-origin',
    // camera for 核验表单's QR scan (the permission handler allows video only, to the app itself)
    'Permissions-Policy':
      'camera=(self), microphone=(), geolocation=(), usb=(), serial=(), hid=(), payment=()',
  };
}
