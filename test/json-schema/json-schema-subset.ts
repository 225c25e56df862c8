/**
 * @module test/json-schema-subset
 * A small JSON Schema (draft-07) validator for tests: exactly the keywords logbeam's schemas use, and it
 * throws on any other keyword, so a schema can never pass a document by using a keyword this code ignores.
 * Local `$ref`s (`#/definitions/...`) only.
 */

type SchemaNode = boolean | { readonly [keyword: string]: unknown };

const ANNOTATIONS = new Set(['$schema', '$id', 'title', 'description', 'definitions', 'default', 'examples']);
const KEYWORDS = new Set([
  ...ANNOTATIONS,
  'type',
  'enum',
  'const',
  'required',
  'properties',
  'additionalProperties',
  'propertyNames',
  'minProperties',
  'items',
  'minItems',
  'pattern',
  'minLength',
  'maxLength',
  'minimum',
  'exclusiveMinimum',
  'oneOf',
  'anyOf',
  'allOf',
  'not',
  'if',
  'then',
  'else',
  '$ref',
]);

function typeOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}

function hasType(value: unknown, type: string): boolean {
  const actual = typeOf(value);
  return actual === type || (type === 'number' && actual === 'integer');
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeOf(value) === 'object';
}

/** Unicode code points, as JSON Schema counts string length. */
function length(text: string): number {
  return [...text].length;
}

/** Validates documents against `root`; `errors(document)` lists each failure as `<json pointer>: <why>`. */
export class JsonSchemaSubset {
  constructor(private readonly root: SchemaNode) {
    this.checkKeywords(root, '#');
  }

  errors(document: unknown): string[] {
    const errors: string[] = [];
    this.validate(this.root, document, '', errors);
    return errors;
  }

  private checkKeywords(node: unknown, at: string): void {
    if (typeof node === 'boolean') return;
    if (!isObject(node)) throw new Error(`${at}: a schema must be an object or a boolean`);
    for (const [keyword, value] of Object.entries(node)) {
      if (!KEYWORDS.has(keyword)) throw new Error(`${at}: keyword "${keyword}" is not supported by this test validator`);
      if (keyword === 'properties' || keyword === 'definitions')
        for (const [name, sub] of Object.entries(value as object)) this.checkKeywords(sub, `${at}/${keyword}/${name}`);
      else if (['additionalProperties', 'propertyNames', 'items', 'not', 'if', 'then', 'else'].includes(keyword))
        this.checkKeywords(value, `${at}/${keyword}`);
      else if (['oneOf', 'anyOf', 'allOf'].includes(keyword))
        for (const [i, sub] of (value as unknown[]).entries()) this.checkKeywords(sub, `${at}/${keyword}/${i}`);
    }
  }

  private resolve(ref: string): SchemaNode {
    if (!ref.startsWith('#/')) throw new Error(`only local $refs are supported, got ${ref}`);
    let node: unknown = this.root;
    for (const part of ref.slice(2).split('/')) {
      if (!isObject(node) || !Object.hasOwn(node, part)) throw new Error(`$ref ${ref} does not resolve`);
      node = node[part];
    }
    return node as SchemaNode;
  }

  private valid(schema: SchemaNode, value: unknown): boolean {
    const errors: string[] = [];
    this.validate(schema, value, '', errors);
    return errors.length === 0;
  }

  private validate(schema: SchemaNode, value: unknown, at: string, errors: string[]): void {
    if (schema === true) return;
    if (schema === false) {
      errors.push(`${at || '/'}: not allowed`);
      return;
    }
    const fail = (why: string): void => {
      errors.push(`${at || '/'}: ${why}`);
    };
    const s = schema;
    if (typeof s['$ref'] === 'string') this.validate(this.resolve(s['$ref']), value, at, errors);
    if (s['type'] !== undefined) {
      const types = Array.isArray(s['type']) ? (s['type'] as string[]) : [s['type'] as string];
      if (!types.some((type) => hasType(value, type))) {
        fail(`expected ${types.join(' or ')}, got ${typeOf(value)}`);
        return;
      }
    }
    if (Array.isArray(s['enum']) && !s['enum'].some((option) => JSON.stringify(option) === JSON.stringify(value)))
      fail(`${JSON.stringify(value)} is not one of ${JSON.stringify(s['enum'])}`);
    if (s['const'] !== undefined && JSON.stringify(s['const']) !== JSON.stringify(value)) fail(`expected ${JSON.stringify(s['const'])}`);
    if (typeof value === 'string') {
      if (typeof s['pattern'] === 'string' && !new RegExp(s['pattern'], 'u').test(value))
        fail(`${JSON.stringify(value)} does not match ${s['pattern']}`);
      if (typeof s['minLength'] === 'number' && length(value) < s['minLength']) fail(`shorter than ${s['minLength']}`);
      if (typeof s['maxLength'] === 'number' && length(value) > s['maxLength']) fail(`longer than ${s['maxLength']}`);
    }
    if (typeof value === 'number') {
      if (typeof s['minimum'] === 'number' && value < s['minimum']) fail(`less than ${s['minimum']}`);
      if (typeof s['exclusiveMinimum'] === 'number' && value <= s['exclusiveMinimum']) fail(`not greater than ${s['exclusiveMinimum']}`);
    }
    if (Array.isArray(value)) {
      if (typeof s['minItems'] === 'number' && value.length < s['minItems']) fail(`fewer than ${s['minItems']} items`);
      if (s['items'] !== undefined)
        for (const [i, item] of value.entries()) this.validate(s['items'] as SchemaNode, item, `${at}/${i}`, errors);
    }
    if (isObject(value)) {
      const properties = (s['properties'] ?? {}) as Record<string, SchemaNode>;
      for (const name of (s['required'] ?? []) as string[]) if (!Object.hasOwn(value, name)) fail(`"${name}" is required`);
      if (typeof s['minProperties'] === 'number' && Object.keys(value).length < s['minProperties'])
        fail(`fewer than ${s['minProperties']} properties`);
      for (const [name, item] of Object.entries(value)) {
        if (s['propertyNames'] !== undefined) this.validate(s['propertyNames'] as SchemaNode, name, `${at}/${name}`, errors);
        if (Object.hasOwn(properties, name)) this.validate(properties[name]!, item, `${at}/${name}`, errors);
        else if (s['additionalProperties'] !== undefined) {
          if (s['additionalProperties'] === false) fail(`unknown property "${name}"`);
          else this.validate(s['additionalProperties'] as SchemaNode, item, `${at}/${name}`, errors);
        }
      }
    }
    if (Array.isArray(s['allOf'])) for (const sub of s['allOf'] as SchemaNode[]) this.validate(sub, value, at, errors);
    if (Array.isArray(s['anyOf']) && !(s['anyOf'] as SchemaNode[]).some((sub) => this.valid(sub, value))) fail('matches none of anyOf');
    if (Array.isArray(s['oneOf'])) {
      const matches = (s['oneOf'] as SchemaNode[]).filter((sub) => this.valid(sub, value)).length;
      if (matches !== 1) fail(`matches ${matches} of oneOf, expected exactly 1`);
    }
    if (s['not'] !== undefined && this.valid(s['not'] as SchemaNode, value)) fail('matches a schema it must not match');
    if (s['if'] !== undefined) {
      const branch = this.valid(s['if'] as SchemaNode, value) ? s['then'] : s['else'];
      if (branch !== undefined) this.validate(branch as SchemaNode, value, at, errors);
    }
  }
}
