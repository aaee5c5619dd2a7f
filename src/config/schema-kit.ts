/**
 * The building blocks of the config schema (`schema.ts`): TypeBox schemas, so that one declaration is both the JSON
 * schema ajv checks and, through `Static<typeof X>`, the TypeScript type of what it accepts. Every node a user can
 * get wrong carries a `description` phrased as what is expected ("a number > 0"): `validate.ts` turns ajv's errors
 * into `file: dotted.path must be <description>, got <value>`.
 *
 * Numbers are finite: the validator runs with ajv's `strictNumbers` (`1e400` reads as Infinity and is refused).
 */
import {Type, type Static, type TObject, type TProperties, type TSchema, type TUnsafe} from '@sinclair/typebox';
import type {ArgInput, ArgSpecs} from './args';
import {argSchema} from './args';

/** `value` as it appears in a description: `"pytorch"`, `4`, `null`. */
const shown = (value: unknown): string => JSON.stringify(value);

/** An integer >= `minimum`. */
export const integer = (minimum: number) => Type.Integer({minimum, description: `an integer >= ${minimum}`});
/** An integer in [min, max]. */
export const intIn = (min: number, max: number) => Type.Integer({minimum: min, maximum: max, description: `an integer in [${min}, ${max}]`});
export const positive = Type.Number({exclusiveMinimum: 0, description: 'a number > 0'});
export const nonNegative = Type.Number({minimum: 0, description: 'a number >= 0'});
/** a number in [0, 1]: momenta, probabilities, run fractions */
export const unitInterval = Type.Number({minimum: 0, maximum: 1, description: 'a number in [0, 1]'});
export const bool = Type.Boolean({description: 'true or false'});
export const text = Type.String({minLength: 1, description: 'a non-empty string'});

/**
 * An optional field with a default: a file may leave it out, and the config the rooms receive has it
 * (`normalise.ts` fills it in), so its TypeScript type is the required `T`.
 */
export const withDefault = <T extends TSchema>(schema: T, value: Static<T>): T => Type.Optional({...schema, default: value}) as unknown as T;

/** A schema kept as written (ajv reads it as is) with the TypeScript type `T` of what it accepts. */
export const typed = <T>(schema: Record<string, unknown>): TUnsafe<T> => Type.Unsafe<T>(schema);

/** One of `names` (a JSON `enum`). */
export function oneOfNames<const T extends readonly (string | number | boolean | null)[]>(names: T, description = `one of ${names.map(shown).join(', ')}`): TUnsafe<T[number]> {
  return typed<T[number]>({enum: [...names], description});
}

/** Exactly `value`; described as its JSON spelling unless told. */
export const literal = <const T extends string | number | boolean>(value: T, description = shown(value)) => Type.Literal(value, {description});

/** A pair `[a, b]` of `item`. */
export const pairOf = <T extends TSchema>(item: T, description?: string): TUnsafe<[Static<T>, Static<T>]> =>
  typed<[Static<T>, Static<T>]>({type: 'array', items: item, minItems: 2, maxItems: 2, ...(description === undefined ? {} : {description})});

/** An array of 3 `item`s (per-channel values). */
export const threeOf = <T extends TSchema>(item: T, description: string): TUnsafe<Static<T>[]> => typed<Static<T>[]>({type: 'array', items: item, minItems: 3, maxItems: 3, description});

/** A non-empty array of `item`. */
export const nonEmpty = <T extends TSchema>(item: T, description?: string) => Type.Array(item, {minItems: 1, ...(description === undefined ? {} : {description})});

/** An object with exactly these properties (those not wrapped in `Type.Optional` must be present). */
export const strict = <P extends TProperties>(properties: P, options: {description?: string; allOf?: unknown[]} = {}): TObject<P> =>
  Type.Object(properties, {description: 'an object', additionalProperties: false, ...options});

/** An object or null whose fields are not checked (OpenMixup options mixup accepts only at their neutral value). */
export const objectOrNull = typed<Record<string, unknown> | null>({type: ['object', 'null'], description: 'an object or null'});

/**
 * `if object[key] === value then (required, properties)` as a schema. The `then` branch carries the property
 * schemas so that a "missing" message can say what is expected (repeated messages are merged by validate.ts).
 */
export function when(key: string, value: string, required: string[], properties: TProperties): Record<string, unknown> {
  return {if: {properties: {[key]: {const: value}}, required: [key]}, then: {required, properties}};
}

/** The tag of a branch of `taggedUnion`: the `const` of its `key` property. */
function tagOf(branch: TObject, key: string): string {
  const tag = (branch.properties[key] as {const?: unknown} | undefined)?.const;
  if (typeof tag !== 'string') throw new Error(`taggedUnion: a branch has no literal "${key}"`);
  return tag;
}

/**
 * A discriminated union of objects on `key` (default "type"): the TypeScript union of the branches, checked as
 * `{key: one of the tags}` plus one `if key = tag then branch` per branch, so that a wrong tag reports the list of
 * tags and a right one reports the branch's own field errors (not one error per branch, as an `anyOf` would).
 */
export function taggedUnion<const B extends readonly TObject[]>(
  branches: B,
  options: {description: string; key?: string; tagDescription?: string},
): TUnsafe<Static<B[number]>> & {tags: string[]} {
  const key = options.key ?? 'type';
  const tags = branches.map((b) => tagOf(b, key));
  const tagSchema = oneOfNames(tags, options.tagDescription);
  const schema = typed<Static<B[number]>>({
    type: 'object',
    description: options.description,
    required: [key],
    properties: {[key]: tagSchema},
    allOf: branches.map((branch, i) => ({if: {type: 'object', properties: {[key]: {const: tags[i]}}, required: [key]}, then: branch})),
  });
  // not a schema keyword: kept off the JSON ajv reads
  return Object.defineProperty(schema, 'tags', {value: tags, enumerable: false}) as TUnsafe<Static<B[number]>> & {tags: string[]};
}

/**
 * The strict object of the options `specs` describe (`model.head.loss` from `LOSS_ARGS`), the fields of `required`
 * mandatory: the arg catalog stays the one description of those fields.
 */
export function argObject<const S extends ArgSpecs, const R extends keyof S & string>(specs: S, required: readonly R[]): TUnsafe<ArgInput<S, R>> {
  // the catalog's defaults are the config's: `normalise.ts` fills the fields a file leaves out
  const properties = Object.fromEntries(Object.entries(specs).map(([field, spec]) => [field, {...argSchema(spec), default: spec.default}]));
  return typed<ArgInput<S, R>>({type: 'object', description: 'an object', additionalProperties: false, required: [...required], properties});
}
