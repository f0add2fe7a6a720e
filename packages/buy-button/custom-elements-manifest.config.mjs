// Custom Elements Manifest for `<buy-button>`: read from the TypeScript sources, written with the
// published paths (`dist/*.js`), public API only.
export default {
  globs: ['src/buy-button-element.ts', 'src/events.ts'],
  outdir: '.',
  litelement: true,
  plugins: [
    {
      name: 'buy-button:public-api-only',
      packageLinkPhase({ customElementsManifest }) {
        for (const mod of customElementsManifest.modules) {
          mod.path = mod.path.replace(/^src\//, 'dist/').replace(/\.ts$/, '.js');
          const exported = new Set((mod.exports ?? []).map((entry) => entry.declaration.name));
          mod.declarations = (mod.declarations ?? []).filter((decl) => exported.has(decl.name));
          for (const decl of mod.declarations) {
            decl.members = decl.members?.filter(
              (member) => member.privacy !== 'private' && !member.name.startsWith('#'),
            );
            decl.events = decl.events?.filter((event) => event.name);
          }
          for (const entry of mod.exports ?? []) {
            if (entry.declaration.module) {
              entry.declaration.module = entry.declaration.module
                .replace(/^\/?src\//, 'dist/')
                .replace(/\.ts$/, '.js');
            }
          }
        }
      },
    },
  ],
};
