import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

// The county bench page: built like the app (production mode, no RxDB dev-mode), served by vite preview.
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: './',
  logLevel: 'error',
  build: { chunkSizeWarningLimit: 5000 },
});
