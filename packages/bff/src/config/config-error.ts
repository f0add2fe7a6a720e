/** One setting that is missing or wrong, named as the operator writes it (env var name). */
export interface ConfigIssue {
  setting: string;
  message: string;
}

/**
 * The configuration cannot be used. The message names every setting at fault and what is wrong
 * with it, never the value itself, so printing it cannot leak a secret.
 *
 * @example
 * try { loadConfig(process.env) } catch (err) {
 *   if (err instanceof ConfigError) { console.error(err.message); process.exit(1) }
 * }
 */
export class ConfigError extends Error {
  readonly code = 'ERR_BFF_CONFIG';
  /** Every problem found, so one start attempt reports them all. */
  readonly issues: readonly ConfigIssue[];

  constructor(issues: readonly ConfigIssue[]) {
    super(
      issues.length === 1 && issues[0] !== undefined
        ? `Invalid BFF configuration: ${issues[0].setting} ${issues[0].message}`
        : `Invalid BFF configuration:\n${issues.map((i) => `  - ${i.setting} ${i.message}`).join('\n')}`,
    );
    this.name = 'ConfigError';
    this.issues = issues;
  }

  /** The first setting at fault, e.g. `RECEIPT_SECRET`. */
  get setting(): string {
    return this.issues[0]?.setting ?? '';
  }
}
