// Custom Elements Manifest for `<buy-button>`: read from the TypeScript sources, written with the
// published paths (`dist/*.js`), public API only.

/** `15_000` → `15000`; a module constant's name → its value (`DEFAULT_TIMEOUT_MS` → `15000`). */
function literal(text, constants) {
  const value = constants.get(text) ?? text;
  return /^-?[\d_]+(\.\d+)?$/.test(value) ? String(Number(value.replace(/_/g, ''))) : value;
}

export default {
  globs: ['src/buy-button-element.ts', 'src/events.ts', 'src/define.ts'],
  outdir: '.',
  litelement: true,
  plugins: [
    {
      name: 'buy-button:public-api-only',
      packageLinkPhase({ customElementsManifest }) {
        const declaredIn = new Map(
          customElementsManifest.modules.flatMap((mod) =>
            (mod.declarations ?? []).map((decl) => [
              decl.name,
              mod.path.replace(/^src\//, 'dist/').replace(/\.ts$/, '.js'),
            ]),
          ),
        );
        const constants = new Map(
          customElementsManifest.modules
            .flatMap((mod) => mod.declarations ?? [])
            .filter((decl) => decl.kind === 'variable' && decl.default !== undefined)
            .map((decl) => [decl.name, decl.default]),
        );
        for (const mod of customElementsManifest.modules) {
          mod.path = mod.path.replace(/^src\//, 'dist/').replace(/\.ts$/, '.js');
          const exported = new Set((mod.exports ?? []).map((entry) => entry.declaration.name));
          mod.declarations = (mod.declarations ?? []).filter((decl) => exported.has(decl.name));
          for (const decl of mod.declarations) {
            if (decl.default !== undefined) decl.default = literal(decl.default, constants);
            decl.members = decl.members?.filter(
              (member) =>
                member.privacy !== 'private' &&
                !member.name.startsWith('#') &&
                // Lit's own option (how the shadow root is attached), not the element's API.
                member.name !== 'shadowRootOptions',
            );
            for (const item of [...(decl.members ?? []), ...(decl.attributes ?? [])]) {
              if (item.default !== undefined) item.default = literal(item.default, constants);
            }
            decl.events = decl.events?.filter((event) => event.name);
          }
          // `export type * from './jsx-react.js'` brings types, no JavaScript.
          mod.exports = (mod.exports ?? []).filter(
            (entry) => !/jsx-react\.[jt]s$/.test(entry.declaration.module ?? ''),
          );
          for (const entry of mod.exports) {
            if (entry.declaration.module) {
              entry.declaration.module = entry.declaration.module
                .replace(/^\/?src\//, 'dist/')
                .replace(/\.ts$/, '.js');
            }
          }
          // `define` registers the tag through `defineBuyButton()` (a registry given as an
          // argument), which the analyzer does not follow: say it here.
          // A re-export (`export { BuyButtonElement }` in define) names the module that declares it.
          for (const entry of mod.exports) {
            const { name } = entry.declaration;
            if (entry.kind === 'js' && !mod.declarations.some((decl) => decl.name === name)) {
              entry.declaration.module = declaredIn.get(name) ?? entry.declaration.module;
            }
          }
          if (mod.path === 'dist/define.js') {
            mod.exports = [
              ...(mod.exports ?? []).filter((entry) => entry.kind !== 'custom-element-definition'),
              {
                kind: 'custom-element-definition',
                name: 'buy-button',
                declaration: { name: 'BuyButtonElement', module: 'dist/buy-button-element.js' },
              },
            ];
          }
        }
      },
    },
  ],
};
