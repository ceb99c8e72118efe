import { nxViteTsPaths } from '@nx/vite/plugins/nx-tsconfig-paths.plugin';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

/**
 * The console's web application. `nx build console-web` writes it to dist/apps/console-web, which
 * the console's backend (apps/console) serves; `nx dev console-web` serves it with hot reload and
 * sends /api and /auth to a backend already running on its default port.
 */
export default defineConfig({
  root: import.meta.dirname,
  cacheDir: '../../node_modules/.vite/apps/console-web',
  // nxViteTsPaths: the workspace's tsconfig paths (@shop/console-api) resolve as in the backend.
  plugins: [react(), nxViteTsPaths()],
  server: {
    host: '127.0.0.1',
    port: 4300,
    proxy: { '/api': 'http://127.0.0.1:3100', '/auth': 'http://127.0.0.1:3100' },
  },
  preview: { host: '127.0.0.1', port: 4301 },
  build: {
    outDir: '../../dist/apps/console-web',
    emptyOutDir: true,
    reportCompressedSize: false,
  },
});
