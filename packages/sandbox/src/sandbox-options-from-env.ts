import {
  NUMERIC_OPTION_RULES,
  numericProblem,
  SandboxConfigError,
  type SandboxOptions,
} from './sandbox-options.js';
import type { StartSandboxOptions } from './start-sandbox.js';

export const DEFAULT_SANDBOX_PORT = 8788;
export const DEFAULT_SANDBOX_HOST = '127.0.0.1';

type NumericOption = keyof typeof NUMERIC_OPTION_RULES;

/**
 * Reads `SANDBOX_PORT`, `HOST` and the `SANDBOX_*` settings once, validated: a bad value throws
 * a `SandboxConfigError` naming the variable, e.g. "SANDBOX_FAULT_RATE must be a number between
 * 0 and 1". Unset or empty variables take their defaults.
 */
export function sandboxOptionsFromEnv(
  env: Record<string, string | undefined>,
): StartSandboxOptions & { port: number; host: string } {
  const read = (name: string): string | undefined => {
    const value = env[name]?.trim();
    return value === undefined || value === '' ? undefined : value;
  };

  const portText = read('SANDBOX_PORT');
  const port = portText === undefined ? DEFAULT_SANDBOX_PORT : Number(portText);
  if (!/^\d+$/.test(portText ?? '0') || !Number.isInteger(port) || port < 0 || port > 65_535) {
    throw new SandboxConfigError(
      'SANDBOX_PORT',
      'SANDBOX_PORT must be an integer between 0 and 65535',
    );
  }

  const options: StartSandboxOptions & { port: number; host: string } = {
    port,
    host: read('HOST') ?? DEFAULT_SANDBOX_HOST,
  };

  for (const option of Object.keys(NUMERIC_OPTION_RULES) as NumericOption[]) {
    const name = NUMERIC_OPTION_RULES[option].env;
    const text = read(name);
    if (text === undefined) continue;
    const value = Number(text);
    const problem = numericProblem(option, value);
    if (problem !== undefined) throw new SandboxConfigError(name, `${name} ${problem}`);
    options[option] = value;
  }

  const publicUrl = read('SANDBOX_PUBLIC_URL');
  if (publicUrl !== undefined) {
    if (!URL.canParse(publicUrl) || !/^https?:$/.test(new URL(publicUrl).protocol)) {
      throw new SandboxConfigError(
        'SANDBOX_PUBLIC_URL',
        'SANDBOX_PUBLIC_URL must be an absolute http(s) URL',
      );
    }
    options.publicUrl = publicUrl;
  }
  const tokenSecret = read('SANDBOX_TOKEN_SECRET');
  if (tokenSecret !== undefined)
    options.tokenSecret = tokenSecret satisfies SandboxOptions['tokenSecret'];
  return options;
}
