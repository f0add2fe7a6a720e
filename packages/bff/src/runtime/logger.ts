/** One structured log line. Never put secrets, receipts or shopper data in it. */
export interface LogEntry {
  level: 'info' | 'warn' | 'error';
  msg: string;
  [field: string]: unknown;
}

/** Where log lines go. Injected so tests stay quiet and can assert on what is logged. */
export type Logger = (entry: LogEntry) => void;

/** One JSON line per entry on stdout (info) or stderr (warn, error): what log shippers expect. */
export const jsonLogger: Logger = (entry) => {
  const line = JSON.stringify({ time: new Date().toISOString(), ...entry });
  if (entry.level === 'info') console.log(line);
  else console.error(line);
};

const asIs = (text: string): string => text;

/**
 * An error as loggable fields: name, message, code and the chain of causes, no request data;
 * `scrub` rewrites each of those texts.
 */
export function describeError(err: unknown, scrub = asIs, depth = 0): Record<string, unknown> {
  if (!(err instanceof Error)) return { message: scrub(String(err)) };
  const fields: Record<string, unknown> = { name: scrub(err.name), message: scrub(err.message) };
  const code = (err as { code?: unknown }).code;
  if (typeof code === 'string') fields.code = scrub(code);
  if (err.cause !== undefined && depth < 3) {
    fields.cause = describeError(err.cause, scrub, depth + 1);
  }
  return fields;
}
