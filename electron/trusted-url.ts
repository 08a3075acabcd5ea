// Trust decisions about URLs, as pure functions so they can be tested with hostile input
// (STYLE rule 6; the shape follows Actual Budget's electron/trusted-url.ts).
//
// The app is served from a custom privileged scheme, app://xueji/, never from file:// — file:// would give
// every local file the same origin as the app.

export const APP_SCHEME = 'app';
export const APP_HOST = 'xueji';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_ENTRY_URL = `${APP_ORIGIN}/index.html`;

/**
 * Hosts (and their sub-domains) the app may hand to the system browser: official education sites the
 * UI links to. Everything else stays closed. The configured provincial server is added at run time.
 */
export const EXTERNAL_LINK_HOSTS: readonly string[] = ['moe.gov.cn', 'chsi.com.cn'];

// C0 controls, space, DEL, the C1 range and Unicode spaces / invisible marks: the WHATWG parser silently
// strips some of them (leading/trailing spaces, tabs, newlines), which is exactly what a spoofed URL relies on.
function hasControlOrSpace(raw: string): boolean {
  for (let i = 0; i < raw.length; i++) {
    const c = raw.charCodeAt(i);
    if (c <= 0x20 || (c >= 0x7f && c <= 0xa0)) return true;
    if (c === 0x1680 || (c >= 0x2000 && c <= 0x200f) || (c >= 0x2028 && c <= 0x202f)) return true;
    if (c === 0x205f || c === 0x3000 || c === 0xfeff) return true;
  }
  return false;
}

/** Parse a URL only if the raw string carries no whitespace or control characters; otherwise null. */
export function parseStrictUrl(raw: unknown): URL | null {
  if (typeof raw !== 'string' || raw.length === 0 || raw.length > 8192) return null;
  if (hasControlOrSpace(raw)) return null;
  try {
    return new URL(raw);
  } catch {
    return null;
  }
}

/**
 * Is `raw` a URL of our own app (app://xueji/…)? Used for every IPC sender check, for navigation, and
 * for permission checks. No user info, no port, no trailing-dot host, no look-alike host.
 */
export function isAppUrl(raw: unknown): boolean {
  const url = parseStrictUrl(raw);
  if (!url) return false;
  if (url.protocol !== `${APP_SCHEME}:`) return false;
  // Chromium lower-cases the host of a standard scheme; Node's parser keeps it (non-special scheme).
  if (url.hostname.toLowerCase() !== APP_HOST) return false;
  if (url.port !== '' || url.username !== '' || url.password !== '') return false;
  // "app:xueji/" or "app:///xueji" have an empty host and are rejected above; a raw string that does not
  // literally start with the origin is refused too, so no parser normalisation decides for us.
  return raw !== null && typeof raw === 'string' && raw.toLowerCase().startsWith(`${APP_ORIGIN}/`);
}

/** Normalise a host name for comparison: lower case, no trailing dot refused by the caller. */
function hostMatches(hostname: string, allowed: string): boolean {
  const host = hostname.toLowerCase();
  const base = allowed.toLowerCase();
  return host === base || host.endsWith(`.${base}`);
}

/**
 * May `raw` be opened in the system browser (shell.openExternal)? Only https, default port, no user
 * info, a host on the allow-list (or a sub-domain on a dot boundary), or the configured server origin.
 * Punycode hosts never match unless listed literally, so IDN look-alikes stay closed.
 */
export function isAllowedExternalUrl(
  raw: unknown,
  extraOrigins: readonly string[] = [],
  allowedHosts: readonly string[] = EXTERNAL_LINK_HOSTS,
): boolean {
  const url = parseStrictUrl(raw);
  if (!url) return false;
  if (url.protocol !== 'https:') return false;
  if (url.username !== '' || url.password !== '') return false;
  const host = url.hostname;
  if (host === '' || host.endsWith('.')) return false;
  // The raw text must not hide a different authority than the parsed one (e.g. "https:\\evil.com").
  if (!raw || typeof raw !== 'string' || !raw.toLowerCase().startsWith('https://')) return false;
  if (extraOrigins.includes(url.origin)) return true;
  if (url.port !== '') return false;
  return allowedHosts.some((allowed) => hostMatches(host, allowed));
}

/**
 * Normalise the provincial server's origin from settings: http(s) only, no path/query/user info.
 * Plain http is accepted only for the loopback host (a local demo server). Returns null when unusable.
 */
export function normaliseServerOrigin(raw: unknown): string | null {
  const url = parseStrictUrl(raw);
  if (!url) return null;
  if (url.username !== '' || url.password !== '') return null;
  if (url.search !== '' || url.hash !== '') return null;
  if (url.pathname !== '/' && url.pathname !== '') return null;
  if (url.hostname === '' || url.hostname.endsWith('.')) return null;
  // The origin goes into the CSP as a source expression: a host like "*.example.cn" (which the URL parser
  // accepts) would be a wildcard there. Letters, digits, dots, hyphens (IDN as punycode) or an IPv6 literal.
  if (!/^([a-z0-9-]+(\.[a-z0-9-]+)*|\[[0-9a-f:.]+\])$/i.test(url.hostname)) return null;
  const loopback = url.hostname === 'localhost' || url.hostname === '127.0.0.1' || url.hostname === '[::1]';
  if (url.protocol === 'https:') return url.origin;
  if (url.protocol === 'http:' && loopback) return url.origin;
  return null;
}

export type PermissionDecisionInput = {
  permission: string;
  /** the URL of the frame asking */
  requestingUrl: string | null | undefined;
  /** for "media": what is asked for (requests: details.mediaTypes; checks: [details.mediaType]) */
  mediaTypes?: readonly string[];
};

/**
 * Permission requests and checks: deny by default. Writing to the clipboard (copying a 学籍号) and the
 * camera — video only, for scanning a paper form's QR code on 核验表单 — are allowed to our own app;
 * the microphone and everything else stay denied.
 */
export const ALLOWED_PERMISSIONS: readonly string[] = ['clipboard-sanitized-write', 'media'];

export function decidePermission({
  permission,
  requestingUrl,
  mediaTypes,
}: PermissionDecisionInput): boolean {
  if (!ALLOWED_PERMISSIONS.includes(permission)) return false;
  if (
    permission === 'media' &&
    !(mediaTypes && mediaTypes.length > 0 && mediaTypes.every((t) => t === 'video'))
  )
    return false;
  // Permission checks pass the bare origin ("app://xueji"), requests the frame's URL.
  return requestingUrl === APP_ORIGIN || isAppUrl(requestingUrl);
}
