import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));

// The dev server needs an inline React-refresh preamble, a websocket for HMR and eval for ajv's
// compiled validators (dev-mode only); the CSP in
// index.html forbids all three, so it is relaxed for `vite` (serve) only. Builds keep it strict.
const devCsp: Plugin = {
  name: 'xueji-dev-csp',
  apply: 'serve',
  transformIndexHtml: (html) =>
    html
      .replace("script-src 'self'", "script-src 'self' 'unsafe-inline' 'unsafe-eval'")
      .replace("connect-src 'self'", "connect-src 'self' ws://localhost:* ws://127.0.0.1:*"),
};

// The UI font (@fontsource/noto-sans-sc, weight 400, sliced by unicode-range so a window loads only the
// slices of the characters it shows) lists a .woff fallback beside every .woff2; Chromium (and so Electron)
// reads woff2, so the fallbacks are dropped before Vite bundles the CSS: half the bytes in dist/.
const woff2Only: Plugin = {
  name: 'xueji-ui-font-woff2-only',
  enforce: 'pre',
  transform(code, id) {
    if (!/@fontsource[\\/]noto-sans-sc[\\/][\w-]+\.css$/.test(id)) return null;
    return code.replace(/,\s*url\([^)]*\.woff\)\s*format\('woff'\)/g, '');
  },
};

export default defineConfig({
  root,
  // Relative asset URLs so Electron can load the build from its custom protocol or a file URL.
  base: './',
  plugins: [woff2Only, react(), devCsp],
  build: {
    outDir: fileURLToPath(new URL('../dist', import.meta.url)),
    emptyOutDir: true,
    chunkSizeWarningLimit: 3000,
  },
  server: { port: 5173, strictPort: false },
  // The print worker (features/print) is only reached when something is printed; without these the dev
  // server discovers pdfkit and friends then, re-optimises and reloads the page, closing the preview.
  optimizeDeps: {
    include: ['pdfkit', 'fontkit', 'qrcode', '@noble/hashes/sha2', '@noble/hashes/utils'],
  },
});
