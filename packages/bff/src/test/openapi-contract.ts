import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';

/** The parts of an OpenAPI 3.1 document the contract check reads. */
export interface OpenApiDocument {
  openapi: string;
  paths: Record<string, Record<string, OperationObject>>;
  components?: { schemas?: Record<string, unknown> };
}

interface OperationObject {
  operationId?: string;
  responses: Record<string, ResponseObject>;
}

interface ResponseObject {
  description: string;
  headers?: Record<string, { required?: boolean; schema?: Record<string, unknown> }>;
  content?: Record<string, { schema?: Record<string, unknown> }>;
}

/** One answer seen and found documented: `GET /sessions/{id} 200 application/json`. */
export type Covered = string;

const HTTP_METHODS = new Set(['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace']);

/**
 * Checks real answers against an OpenAPI 3.1 document: the operation (path template and method)
 * must exist, the status must be one of its responses, the media type one of that response's
 * content types (none when it documents no content), required headers present, documented headers
 * valid, and the body valid against the schema (OpenAPI 3.1 schemas are JSON Schema 2020-12:
 * Ajv's 2020 dialect, with formats). Bodies sent with `Content-Encoding: br`/`gzip` are checked
 * once decoded. Anything undocumented throws, naming what.
 */
export class OpenApiContract {
  readonly #doc: OpenApiDocument;
  readonly #ajv: Ajv2020;
  readonly #validators = new Map<string, ValidateFunction>();
  readonly #templates: { template: string; pattern: RegExp }[];
  /** Every answer checked so far. */
  readonly covered = new Set<Covered>();

  constructor(doc: OpenApiDocument) {
    this.#doc = doc;
    this.#ajv = new Ajv2020({ strict: true, allErrors: true });
    // OpenAPI's own annotations on Schema Objects, which JSON Schema 2020-12 does not define.
    this.#ajv.addVocabulary(['example', 'discriminator', 'xml', 'externalDocs']);
    addFormats.default(this.#ajv);
    this.#templates = Object.keys(doc.paths).map((template) => ({
      template,
      pattern: new RegExp(
        `^${template
          .split(/(\{[^}]+\})/)
          .map((part) =>
            /^\{.+\}$/.test(part) ? '[^/]+' : part.replace(/[.*+?^$()|[\]\\]/g, '\\$&'),
          )
          .join('')}$`,
      ),
    }));
  }

  /** The documented operation for `method` on the request path `path` (query ignored). */
  operation(method: string, path: string): { template: string; operation: OperationObject } {
    const pathname = new URL(path, 'http://contract.test').pathname;
    const found = this.#templates.find(({ pattern }) => pattern.test(pathname));
    if (found === undefined) throw new Error(`${method} ${pathname}: no such path in the document`);
    const item = this.#doc.paths[found.template] ?? {};
    const operation = item[method.toLowerCase()];
    if (operation === undefined || !HTTP_METHODS.has(method.toLowerCase())) {
      throw new Error(`${method} ${found.template}: no such operation in the document`);
    }
    return { template: found.template, operation };
  }

  /** Throws unless `response`, the answer to `method path`, is what the document says. */
  async check(method: string, path: string, response: Response): Promise<Covered> {
    const { template, operation } = this.operation(method, path);
    const status = String(response.status);
    const where = `${method.toUpperCase()} ${template} ${status}`;
    const documented =
      operation.responses[status] ??
      operation.responses[`${status[0]}XX`] ??
      operation.responses.default;
    if (documented === undefined) {
      throw new Error(
        `${where}: status not documented (documented: ${Object.keys(operation.responses).join(', ')})`,
      );
    }
    this.#checkHeaders(where, documented, response.headers);

    const raw = new Uint8Array(await response.clone().arrayBuffer());
    const body = decode(raw, response.headers.get('content-encoding'));
    const contentType = response.headers.get('content-type');
    if (documented.content === undefined) {
      if (body.length > 0) {
        throw new Error(
          `${where}: documents no content, got ${body.length} bytes of ${contentType}`,
        );
      }
      const covered = `${where}`;
      this.covered.add(covered);
      return covered;
    }
    if (contentType === null) throw new Error(`${where}: no Content-Type`);
    const media = contentType.split(';')[0]?.trim().toLowerCase() ?? '';
    const mediaType = documented.content[media];
    if (mediaType === undefined) {
      throw new Error(
        `${where}: media type ${media} not documented (documented: ${Object.keys(documented.content).join(', ')})`,
      );
    }
    const text = new TextDecoder().decode(body);
    let value: unknown = text;
    if (/[/+]json$/.test(media)) {
      try {
        value = JSON.parse(text);
      } catch {
        throw new Error(`${where} ${media}: the body is not JSON`);
      }
    }
    if (mediaType.schema !== undefined) {
      const key = `${where} ${media}`;
      this.#validate(key, mediaType.schema, value);
    }
    const covered = `${where} ${media}`;
    this.covered.add(covered);
    return covered;
  }

  #checkHeaders(where: string, documented: ResponseObject, headers: Headers): void {
    for (const [name, header] of Object.entries(documented.headers ?? {})) {
      const value = headers.get(name);
      if (value === null) {
        if (header.required === true) throw new Error(`${where}: required header ${name} missing`);
        continue;
      }
      if (header.schema === undefined) continue;
      const type = header.schema.type;
      const parsed = type === 'integer' || type === 'number' ? Number(value) : value;
      this.#validate(`${where} header ${name}`, header.schema, parsed);
    }
  }

  #validate(key: string, schema: Record<string, unknown>, value: unknown): void {
    let validate = this.#validators.get(key);
    if (validate === undefined) {
      validate = this.#ajv.compile(this.#standalone(schema));
      this.#validators.set(key, validate);
    }
    if (!validate(value)) {
      throw new Error(
        `${key}: ${this.#ajv.errorsText(validate.errors)}\n${JSON.stringify(value).slice(0, 500)}`,
      );
    }
  }

  /** The schema with the document's components as `$defs`, so its `$ref`s resolve on their own. */
  #standalone(schema: Record<string, unknown>): Record<string, unknown> {
    const rewrite = (value: unknown) =>
      JSON.parse(JSON.stringify(value).replaceAll('"#/components/schemas/', '"#/$defs/'));
    return { ...rewrite(schema), $defs: rewrite(this.#doc.components?.schemas ?? {}) };
  }
}

function decode(body: Uint8Array, coding: string | null): Uint8Array {
  if (coding === null || coding === 'identity') return body;
  if (coding === 'br') return brotliDecompressSync(body);
  if (coding === 'gzip') return gunzipSync(body);
  throw new Error(`unexpected Content-Encoding ${coding}`);
}
