/**
 * How a config is written to disk (`gen-configs`, `mixup demo`): keys in the schema's order, scalar arrays on one line.
 */
import {isObject, type JsonObject} from './load';
import {CONFIG_SCHEMA} from './schema';

/**
 * The properties of the complete object schema an `if`/`then` of `schema.allOf` selects for `value` (the model
 * types, the hooks), so that their keys are ordered too.
 */
function branchProperties(value: Record<string, unknown>, schema: unknown): Record<string, unknown> {
  const branches = isObject(schema) && Array.isArray(schema.allOf) ? schema.allOf : [];
  for (const branch of branches) {
    if (!isObject(branch) || !isObject(branch.if) || !isObject(branch.then) || branch.then.additionalProperties !== false) continue;
    const conditions = isObject(branch.if.properties) ? Object.entries(branch.if.properties) : [];
    if (conditions.every(([key, cond]) => isObject(cond) && cond.const === value[key]) && isObject(branch.then.properties)) return branch.then.properties;
  }
  return {};
}

/** `value` with object keys ordered as `schema.properties` lists them, recursively (arrays keep their order). */
function orderLikeSchema(value: unknown, schema: unknown): unknown {
  if (!isObject(value)) return value;
  const properties = {...(isObject(schema) && isObject(schema.properties) ? schema.properties : {}), ...branchProperties(value, schema)};
  const order = Object.keys(properties);
  const rank = (key: string): number => (order.includes(key) ? order.indexOf(key) : order.length);
  const keys = Object.keys(value).sort((a, b) => rank(a) - rank(b));
  return Object.fromEntries(keys.map((key) => [key, orderLikeSchema(value[key], properties[key])]));
}

/**
 * A config as written to disk: keys in schema order (model, data, optimizer, ...; in model: type, pretrained,
 * alpha, mix_mode, ..., backbone, head), keys the schema does not list keep their place after those; two-space indent,
 * arrays of numbers/strings kept on one line (`"out_indices": [3]`).
 */
export function formatConfig(config: JsonObject): string {
  const text = JSON.stringify(orderLikeSchema(config, CONFIG_SCHEMA), null, 2);
  // collapse arrays whose items are all scalars: "[\n  1,\n  2\n]" -> "[1, 2]"
  const collapsed = text.replace(/\[\s*\n((?:\s*(?:-?[\d.eE+-]+|"[^"\n]*"|true|false|null),?\n)+)\s*\]/g, (_m, body: string) =>
    `[${body.split('\n').map((s) => s.trim().replace(/,$/, '')).filter((s) => s !== '').join(', ')}]`,
  );
  return `${collapsed}\n`;
}
