// Builds the production web app once for the e2e project and serves it on a free port (test files read
// the address with inject('webUrl')), and seeds the demo province once into a data folder that each demo
// server of the e2e files starts from a copy of (inject('demoTemplate'); pages/sync-app.ts): seeding took
// 20–70 s per file on a 2-core machine, starting a copy of it a third of that.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, preview } from 'vite';
import type { TestProject } from 'vitest/node';
import { startServerProcess, stopServerProcess } from '../integration/support/server-process';

declare module 'vitest' {
  export interface ProvidedContext {
    webUrl: string;
    /** a data folder holding the seeded demo province (`xueji server --demo` once, then stopped) */
    demoTemplate: string;
  }
}

const configFile = fileURLToPath(new URL('../../renderer/vite.config.ts', import.meta.url));

/** `xueji server --demo` in a new folder, stopped once the province is seeded: the folder is the template. */
async function seedDemoTemplate(): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'xueji-e2e-demo-template-'));
  await stopServerProcess(await startServerProcess({ dataDir: dir }));
  return dir;
}

export default async function setup(project: TestProject) {
  const template = seedDemoTemplate();
  const outDir = mkdtempSync(join(tmpdir(), 'xueji-e2e-web-'));
  // vitest sets NODE_ENV=test, which would make Vite build a development bundle (dev-mode RxDB, React
  // dev build); the e2e tests drive the production build users get.
  const nodeEnv = process.env.NODE_ENV;
  process.env.NODE_ENV = 'production';
  await build({ configFile, logLevel: 'error', mode: 'production', build: { outDir, emptyOutDir: true } });
  process.env.NODE_ENV = nodeEnv;
  const server = await preview({
    configFile,
    logLevel: 'error',
    build: { outDir },
    preview: { port: 0, host: '127.0.0.1', strictPort: true, open: false },
  });
  const address = server.httpServer.address();
  if (!address || typeof address === 'string') throw new Error('preview server has no port');
  project.provide('webUrl', `http://127.0.0.1:${address.port}/`);
  const demoTemplate = await template;
  project.provide('demoTemplate', demoTemplate);
  return async () => {
    await server.close();
    rmSync(outDir, { recursive: true, force: true });
    rmSync(demoTemplate, { recursive: true, force: true });
  };
}
