/// <reference types="vitest/config" />
// Vite build of the web client; `devsync serve` serves `dist/` at `/`.
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin } from 'vite';

const monacoEsm = fileURLToPath(new URL('./node_modules/monaco-editor/esm/', import.meta.url));
const backend = process.env.DEVSYNC_DEV_BACKEND ?? 'http://127.0.0.1:8000';

/**
 * On a deep link to a project the editor chunk is most of the time to a ready editor, yet the
 * browser only asks for it once the entry script has run. A few bytes of inline script in
 * index.html request it (and the early-connection chunk, their imports and CSS) with the entry
 * instead, and only on `/projects/...` URLs: the sign-in and project pages do not pay for it.
 */
function preloadEditorOnDeepLinks(): Plugin {
  return {
    name: 'devsync-preload-editor',
    apply: 'build',
    transformIndexHtml: {
      order: 'post',
      handler(_html, ctx) {
        const bundle = ctx.bundle;
        if (!bundle) return [];
        const js = new Set<string>();
        const css = new Set<string>();
        const visit = (fileName: string) => {
          const chunk = bundle[fileName];
          // The entry chunk (and its CSS) is already loading; listing it again would only cost bytes.
          if (!chunk || chunk.type !== 'chunk' || chunk.isEntry || js.has(fileName)) return;
          js.add(fileName);
          chunk.viteMetadata?.importedCss.forEach((c) => css.add(c));
          chunk.imports.forEach(visit);
        };
        for (const chunk of Object.values(bundle)) {
          if (chunk.type !== 'chunk' || !chunk.isDynamicEntry) continue;
          if (/\/(components\/Workspace\.tsx|editor\/early\.ts)$/.test(chunk.facadeModuleId ?? ''))
            visit(chunk.fileName);
        }
        if (js.size === 0) throw new Error('preload: the editor chunk was not found');
        const links = [
          ...[...js].map((f) => ['modulepreload', `/${f}`]),
          ...[...css].map((f) => ['preload', `/${f}`, 'style']),
        ];
        const script =
          `if(/^\\/projects\\/\\d+/.test(location.pathname))for(const[r,h,a]of ${JSON.stringify(links)})` +
          `` +
          // crossOrigin '' as on Vite's own module script and preload links, so the cache matches.
          `{const l=document.createElement('link');l.rel=r;l.href=h;l.crossOrigin='';if(a)l.as=a;document.head.appendChild(l)}`;
        return [{ tag: 'script', children: script, injectTo: 'head-prepend' }];
      },
    },
  };
}

export default defineConfig({
  plugins: [react(), preloadEditorOnDeepLinks()],
  resolve: {
    // y-monaco 0.1.6 imports `monaco-editor/esm/vs/editor/editor.api.js`, which monaco-editor
    // 0.56+ no longer exports; the codicon CSS is reached the same way.
    alias: [{ find: /^monaco-editor\/esm\/(.*)$/, replacement: `${monacoEsm}$1` }],
  },
  worker: { format: 'es' },
  build: {
    outDir: 'dist',
    chunkSizeWarningLimit: 5000,
    sourcemap: false,
  },
  server: {
    proxy: {
      '/api': backend,
      '/healthz': backend,
      '/collab': { target: backend, ws: true },
      '/lsp': { target: backend, ws: true },
    },
  },
  test: {
    environment: 'node',
    include: ['src/**/*.test.ts', 'src/**/*.test.tsx', 'scripts/**/*.test.ts'],
  },
});
