import { describe, expect, it } from 'vitest';
import { resolveShellConfig } from './shell-config';

describe('resolveShellConfig', () => {
  it('has no server when nothing is configured', () => {
    expect(resolveShellConfig({ env: {}, settingsText: null })).toEqual({ serverOrigin: null, warnings: [] });
  });

  it('reads the server origin from shell-settings.json, and the environment wins', () => {
    const text = JSON.stringify({ serverOrigin: 'https://xj.example.gov.cn/' });
    expect(resolveShellConfig({ env: {}, settingsText: text }).serverOrigin).toBe(
      'https://xj.example.gov.cn',
    );
    expect(
      resolveShellConfig({ env: { XUEJI_SERVER_ORIGIN: 'http://localhost:8787' }, settingsText: text })
        .serverOrigin,
    ).toBe('http://localhost:8787');
  });

  it('ignores broken settings with a Chinese warning instead of failing to start', () => {
    expect(resolveShellConfig({ env: {}, settingsText: '{oops' }).warnings[0]).toContain('不是有效的 JSON');
    expect(resolveShellConfig({ env: {}, settingsText: '[1]' }).warnings[0]).toContain('不是 JSON 对象');
    const bad = resolveShellConfig({
      env: {},
      settingsText: JSON.stringify({ serverOrigin: 'https://a.cn; script-src *' }),
    });
    expect(bad.serverOrigin).toBeNull();
    expect(bad.warnings[0]).toContain('省级平台地址');
  });
});
