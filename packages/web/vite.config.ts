import react from '@vitejs/plugin-react';
import { defaultClientConditions, defineConfig } from 'vite';

// The `vite` dev server forwards API calls to a running service, by default
// the one `npm start` runs; set BEAKER_API to use another.
const apiTarget = process.env.BEAKER_API ?? 'http://127.0.0.1:8000';

export default defineConfig({
  plugins: [react()],
  // Workspace packages export their TypeScript sources under the `source`
  // condition, so the UI bundles the client from source without a prior tsc build.
  resolve: { conditions: ['source', ...defaultClientConditions] },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    sourcemap: true,
    // The lazily loaded CodeMirror chunk is about 650 kB minified.
    chunkSizeWarningLimit: 800,
    rolldownOptions: {
      treeshake: {
        // The model's modules and TypeBox only declare schemas and functions, but
        // their top-level `Type.Object(...)` calls look like side effects. Marking
        // them pure lets the UI import `slugify` without bundling every schema.
        moduleSideEffects: (id) => !/[\\/](model[\\/]src|@sinclair[\\/]typebox)[\\/]/.test(id),
      },
    },
  },
  server: {
    proxy: {
      '/beaker': apiTarget,
      '/healthz': apiTarget,
    },
  },
});
