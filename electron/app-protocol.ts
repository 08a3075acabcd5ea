// The app:// protocol: serves the built renderer (dist/) to the window, with the security headers on
// every response. Loading through a custom scheme rather than file:// gives the app its own origin
// (app://xueji) — IndexedDB, CSP 'self' and the IPC sender check all hang on it.
import { promises as fs } from 'node:fs';
import nodePath from 'node:path';
import { APP_HOST, APP_SCHEME, parseStrictUrl } from './trusted-url';

type PathApi = Pick<typeof nodePath, 'resolve' | 'join' | 'sep' | 'normalize' | 'isAbsolute' | 'extname'>;

export type ResolvedAppPath =
  | { kind: 'file'; path: string; spaFallback: string }
  | { kind: 'forbidden'; reason: string }
  | { kind: 'not-found' };

/**
 * Map an app:// URL to a file under `root`, or refuse. Decodes the path once, refuses NUL, backslashes,
 * drive letters / colons and anything that resolves outside `root` (the URL parser already folds
 * "../" and "%2e%2e/", but the decoded path is checked again because "..%2f" survives parsing).
 * `spaFallback` is index.html, served for extension-less paths that do not exist (client-side routes).
 */
export function resolveAppPath(
  root: string,
  requestUrl: string,
  pathApi: PathApi = nodePath,
): ResolvedAppPath {
  const url = parseStrictUrl(requestUrl);
  if (!url || url.protocol !== `${APP_SCHEME}:` || url.hostname.toLowerCase() !== APP_HOST) {
    return { kind: 'forbidden', reason: 'not the app origin' };
  }
  if (url.port !== '' || url.username !== '' || url.password !== '')
    return { kind: 'forbidden', reason: 'authority' };
  let decoded: string;
  try {
    decoded = decodeURIComponent(url.pathname);
  } catch {
    return { kind: 'forbidden', reason: 'malformed escape' };
  }
  if (decoded.includes('\0') || decoded.includes('\\') || decoded.includes(':')) {
    return { kind: 'forbidden', reason: 'forbidden character' };
  }
  const segments = decoded.split('/').filter((s) => s !== '');
  if (segments.some((s) => s === '..' || s === '.')) return { kind: 'forbidden', reason: 'dot segment' };
  const rootAbs = pathApi.resolve(root);
  const relative = segments.length === 0 ? 'index.html' : segments.join(pathApi.sep);
  const target = pathApi.resolve(rootAbs, relative);
  const rootWithSep = rootAbs.endsWith(pathApi.sep) ? rootAbs : rootAbs + pathApi.sep;
  if (!target.startsWith(rootWithSep)) return { kind: 'forbidden', reason: 'outside root' };
  return { kind: 'file', path: target, spaFallback: pathApi.join(rootAbs, 'index.html') };
}

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.otf': 'font/otf',
  '.wasm': 'application/wasm',
  '.map': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.pdf': 'application/pdf',
  '.xlsx': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  '.csv': 'text/csv; charset=utf-8',
};

export function mimeTypeFor(filePath: string, pathApi: Pick<PathApi, 'extname'> = nodePath): string {
  return MIME[pathApi.extname(filePath).toLowerCase()] ?? 'application/octet-stream';
}

export type AppProtocolOptions = {
  /** the built renderer folder (dist/) */
  root: string;
  /** headers for every response (CSP etc.), read per request so a changed server origin applies at once */
  headers: () => Record<string, string>;
  readFile?: (filePath: string) => Promise<Uint8Array>;
};

async function readIfFile(
  filePath: string,
  readFile: (p: string) => Promise<Uint8Array>,
): Promise<Uint8Array | null> {
  try {
    const st = await fs.stat(filePath);
    if (!st.isFile()) return null;
    return await readFile(filePath);
  } catch {
    return null;
  }
}

/** The handler given to protocol.handle('app', …). Only GET/HEAD; everything else is 405. */
export function createAppProtocolHandler(
  options: AppProtocolOptions,
): (request: Request) => Promise<Response> {
  const readFile = options.readFile ?? ((p: string) => fs.readFile(p));
  return async (request: Request): Promise<Response> => {
    const headers = options.headers();
    const text = (status: number, body: string) =>
      new Response(body, { status, headers: { ...headers, 'Content-Type': 'text/plain; charset=utf-8' } });
    if (request.method !== 'GET' && request.method !== 'HEAD') return text(405, 'Method Not Allowed');
    const resolved = resolveAppPath(options.root, request.url);
    if (resolved.kind === 'forbidden') return text(403, 'Forbidden');
    if (resolved.kind === 'not-found') return text(404, 'Not Found');
    let filePath = resolved.path;
    let body = await readIfFile(filePath, readFile);
    if (body === null && nodePath.extname(filePath) === '') {
      filePath = resolved.spaFallback;
      body = await readIfFile(filePath, readFile);
    }
    if (body === null) return text(404, 'Not Found');
    return new Response(request.method === 'HEAD' ? null : (body as Uint8Array<ArrayBuffer>), {
      status: 200,
      headers: { ...headers, 'Content-Type': mimeTypeFor(filePath), 'Cache-Control': 'no-cache' },
    });
  };
}
