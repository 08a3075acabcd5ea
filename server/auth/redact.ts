// No secret in any log (finding 9: the stream's ?token= JWT was written to the server log in plain
// text). Clients no longer put secrets in URLs (the stream takes a one-use ticket), and as a second line
// the request serializer blanks the values of query parameters that can carry one, and pino redacts
// the fields that do (headers, bodies, should anyone log them).

/** Query parameters whose values never reach a log. */
const SECRET_PARAMS = /^(ticket|token|access_token|refresh_token|refreshtoken|password|secret|key)$/i;

/** The URL with the value of every secret-bearing query parameter replaced by `[REDACTED]`. */
export function redactUrl(url: string): string {
  const q = url.indexOf('?');
  if (q < 0) return url;
  const query = url
    .slice(q + 1)
    .split('&')
    .map((pair) => {
      const eq = pair.indexOf('=');
      const name = eq < 0 ? pair : pair.slice(0, eq);
      let decoded = name;
      try {
        decoded = decodeURIComponent(name);
      } catch {
        // a malformed name is logged as sent; it cannot match a secret parameter
      }
      return eq >= 0 && SECRET_PARAMS.test(decoded) ? `${name}=[REDACTED]` : pair;
    })
    .join('&');
  return `${url.slice(0, q)}?${query}`;
}

type ReqLike = {
  method?: string;
  url?: string;
  host?: string;
  ip?: string;
  socket?: { remotePort?: number };
};

/** Fields pino blanks wherever they are logged. */
export const REDACT_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'headers.authorization',
  'headers.cookie',
  'body.password',
  'body.oldPassword',
  'body.newPassword',
  'body.refreshToken',
  'password',
  'oldPassword',
  'newPassword',
  'token',
  'refreshToken',
  'ticket',
  '*.password',
  '*.token',
  '*.refreshToken',
  '*.ticket',
];

/** The server's logger options: whatever the caller asked for, plus the redacting serializer. */
export function loggerOptions(logger: boolean | object): boolean | object {
  if (logger === false) return false;
  const base = typeof logger === 'object' ? (logger as Record<string, unknown>) : {};
  return {
    ...base,
    redact: { paths: REDACT_PATHS, censor: '[REDACTED]' },
    serializers: {
      ...((base.serializers as object | undefined) ?? {}),
      req: (req: ReqLike) => ({
        method: req.method,
        url: redactUrl(req.url ?? ''),
        host: req.host,
        remoteAddress: req.ip,
        remotePort: req.socket?.remotePort,
      }),
    },
  };
}
