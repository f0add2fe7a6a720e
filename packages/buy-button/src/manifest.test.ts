import { describe, expect, it } from 'vitest';
import manifest from '../custom-elements.json' with { type: 'json' };
import { DEFAULT_TIMEOUT_MS } from './buy-button-element.js';

interface Member {
  name: string;
  default?: string;
  static?: boolean;
}
interface Declaration {
  name: string;
  tagName?: string;
  members?: Member[];
  attributes?: Member[];
}
interface Module {
  path: string;
  declarations?: Declaration[];
  exports?: Array<{ kind: string; name: string; declaration: { name: string; module?: string } }>;
}
const modules = (manifest as { modules: Module[] }).modules;

describe('custom-elements.json', () => {
  const element = modules
    .flatMap((mod) => mod.declarations ?? [])
    .find((decl) => decl.tagName === 'buy-button');

  it('says that the define module registers <buy-button>', () => {
    const define = modules.find((mod) => mod.path === 'dist/define.js');
    expect(define?.exports).toContainEqual({
      kind: 'custom-element-definition',
      name: 'buy-button',
      declaration: { name: 'BuyButtonElement', module: 'dist/buy-button-element.js' },
    });
  });

  it('lists the public API only: not Lit’s shadowRootOptions', () => {
    const names = element?.members?.map((member) => member.name) ?? [];
    expect(names).toContain('checkout');
    expect(names).toContain('defaultEndpoint');
    expect(names).not.toContain('shadowRootOptions');
    expect(names.filter((name) => name.startsWith('#') || name.startsWith('_'))).toEqual([]);
  });

  it("gives timeout's default as its number", () => {
    const expected = String(DEFAULT_TIMEOUT_MS);
    expect(element?.members?.find((member) => member.name === 'timeout')?.default).toBe(expected);
    expect(element?.attributes?.find((attribute) => attribute.name === 'timeout')?.default).toBe(
      expected,
    );
  });

  it('has quantity (default 1) and reference as attributes and properties', () => {
    for (const name of ['quantity', 'reference']) {
      expect(element?.attributes?.find((attribute) => attribute.name === name)).toBeTruthy();
      expect(element?.members?.find((member) => member.name === name)).toBeTruthy();
    }
    expect(element?.attributes?.find((attribute) => attribute.name === 'quantity')?.default).toBe(
      '1',
    );
  });
});
