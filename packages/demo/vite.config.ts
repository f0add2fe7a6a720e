import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const page = (name: string) => fileURLToPath(new URL(name, import.meta.url));

// The shop's static pages. `__BFF_URL__` in them is replaced by the demo server at request time,
// so one build serves any BFF address.
export default defineConfig({
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    rollupOptions: {
      input: { index: page('index.html'), react: page('react.html') },
    },
  },
  oxc: { jsx: { runtime: 'automatic', importSource: 'react' } },
});
