// build/electron-builder.yml, loaded and validated by electron-builder's own config loader and schema
// (app-builder-lib). Packaging itself needs the Electron zip from the internet, so it does not run here.
import { createRequire } from 'node:module';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '..');
const require = createRequire(import.meta.url);

type Config = Record<string, unknown> & {
  nsis?: Record<string, unknown>;
  linux?: Record<string, unknown> & { target?: { target: string; arch: string[] }[] };
  win?: Record<string, unknown> & { target?: { target: string; arch: string[] }[] };
  files?: { filter?: string[] }[] | string[];
};
type ConfigModule = {
  getConfig(projectDir: string, configPath: string | null, configFromOptions: unknown): Promise<Config>;
  validateConfiguration(config: Config, debugLogger: unknown): Promise<void>;
};
const { getConfig, validateConfiguration } =
  require('app-builder-lib/out/util/config/config.js') as ConfigModule;
const quietLogger = { add: () => undefined, isEnabled: false };

async function load(): Promise<Config> {
  return getConfig(root, path.join(root, 'build/electron-builder.yml'), null);
}

describe('build/electron-builder.yml', () => {
  it('passes electron-builder’s schema validation', async () => {
    await expect(validateConfiguration(await load(), quietLogger)).resolves.toBeUndefined();
  });

  it('the validation is real: a misspelt option is rejected', async () => {
    const config = await load();
    config.nsis = { ...config.nsis, oneClik: false };
    await expect(validateConfiguration(config, quietLogger)).rejects.toThrow(/configuration\.nsis/);
  });

  it('builds an assisted NSIS x64 installer in Chinese, per user, with a choosable folder', async () => {
    const config = await load();
    expect(config.appId).toBe('cn.xueji.desk');
    expect(config.productName).toBe('学籍桌面端');
    expect(config.asar).toBe(true);
    expect(config.win?.target).toEqual([{ target: 'nsis', arch: ['x64'] }]);
    expect(config.nsis).toMatchObject({
      oneClick: false,
      perMachine: false,
      allowToChangeInstallationDirectory: true,
      installerLanguages: ['zh_CN'],
      deleteAppDataOnUninstall: false,
    });
  });

  it('builds AppImage and deb for Linux in the Office category, with a maintainer', async () => {
    const config = await load();
    expect(config.linux?.target?.map((t) => t.target)).toEqual(['AppImage', 'deb']);
    expect(config.linux).toMatchObject({ category: 'Office', executableName: 'xueji-desk' });
    expect(String(config.linux?.maintainer)).toMatch(/<[^@\s]+@[^>\s]+>/);
  });

  it('packs only the bundles and package.json, no node_modules, into release/', async () => {
    const config = await load();
    const files = (config.files as { filter?: string[] }[]).flatMap((f) => f.filter ?? []);
    expect(files).toEqual(
      expect.arrayContaining(['dist/**/*', 'dist-electron/**/*', 'package.json', '!node_modules{,/**/*}']),
    );
    expect(config.directories).toMatchObject({ output: 'release', buildResources: 'build' });
  });

  it('turns off the Electron fuses an attacker could use', async () => {
    const config = await load();
    expect(config.electronFuses).toMatchObject({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      onlyLoadAppFromAsar: true,
    });
  });
});
