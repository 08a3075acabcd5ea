#!/usr/bin/env node
// `npm run web [-- --port P]`: builds the renderer for production and serves dist/ on localhost, so the
// whole app runs in any Chromium without Electron. PORT=P works too; the default is 4173.
import { fileURLToPath } from 'node:url';
import { build, preview } from 'vite';

const configFile = fileURLToPath(new URL('../renderer/vite.config.ts', import.meta.url));
const argv = process.argv.slice(2);
const flag = argv.indexOf('--port');
const portText = flag >= 0 ? argv[flag + 1] : (process.env.PORT ?? '4173');
const port = Number(portText);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`端口“${portText}”无效：请给出 0–65535 之间的整数，例如 npm run web -- --port 8080`);
  process.exit(2);
}

await build({ configFile, logLevel: 'warn' });
const server = await preview({
  configFile,
  preview: { port, strictPort: true, host: '127.0.0.1', open: false },
});
const url = server.resolvedUrls?.local[0] ?? `http://127.0.0.1:${port}/`;
console.log(`学籍桌面端已启动：${url}`);
console.log('在 Chromium 或 Chrome 中打开上面的地址；按 Ctrl+C 停止。');
