import { describe, expect, it } from 'vitest';
import { buildCsp, parseCsp, securityHeaders } from './csp';

describe('buildCsp', () => {
  it('is strict: self only for scripts, frames only of our own blob: PDFs, no objects, no base or form targets', () => {
    const csp = parseCsp(buildCsp());
    expect(csp.get('default-src')).toEqual(["'self'"]);
    expect(csp.get('script-src')).toEqual(["'self'"]);
    // The print preview frames the PDF the renderer made (blob:); never 'self' pages or a remote origin.
    expect(csp.get('frame-src')).toEqual(['blob:']);
    expect(csp.get('child-src')).toEqual(["'none'"]);
    expect(csp.get('object-src')).toEqual(["'none'"]);
    expect(csp.get('base-uri')).toEqual(["'none'"]);
    expect(csp.get('form-action')).toEqual(["'none'"]);
    expect(csp.get('frame-ancestors')).toEqual(["'none'"]);
    expect(csp.get('style-src')).toEqual(["'self'", "'unsafe-inline'"]);
    expect(csp.get('img-src')).toEqual(["'self'", 'data:', 'blob:']);
    expect(csp.get('connect-src')).toEqual(["'self'"]);
    expect(csp.get('worker-src')).toEqual(["'self'", 'blob:']);
  });

  it('never allows eval, inline scripts or wildcards anywhere', () => {
    const text = buildCsp({ serverOrigin: 'https://xj.example.gov.cn' });
    expect(text).not.toMatch(/unsafe-eval|wasm-unsafe-eval|\*|https?:(\s|;|$)/);
    expect(parseCsp(text).get('script-src')).not.toContain("'unsafe-inline'");
  });

  it('adds the configured provincial server to connect-src only', () => {
    const csp = parseCsp(buildCsp({ serverOrigin: 'https://xj.example.gov.cn:8443/' }));
    expect(csp.get('connect-src')).toEqual(["'self'", 'https://xj.example.gov.cn:8443']);
    expect(csp.get('script-src')).toEqual(["'self'"]);
    expect(csp.get('img-src')).toEqual(["'self'", 'data:', 'blob:']);
  });

  it.each([
    "https://xj.example.gov.cn; script-src 'unsafe-inline'",
    'https://xj.example.gov.cn https://evil.com',
    '*',
    'https:',
    'http://xj.example.gov.cn',
    'https://xj.example.gov.cn/path',
  ])('ignores a server origin that would inject or widen directives: %s', (serverOrigin) => {
    const text = buildCsp({ serverOrigin });
    expect(parseCsp(text).get('connect-src')).toEqual(["'self'"]);
    expect(text.split(';')).toHaveLength(14);
  });

  it('security headers carry the CSP and nosniff', () => {
    const headers = securityHeaders();
    expect(headers['Content-Security-Policy']).toBe(buildCsp());
    expect(headers['X-Content-Type-Options']).toBe('nosniff');
  });
});
