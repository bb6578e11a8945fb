import { z } from 'zod';

// A query string carries text only: each value is turned into a number, a boolean or a list
// here, explicitly (no `z.coerce`, which takes `""` for 0 and `"false"` for true), then checked
// by the SDK's own schema for the field, so a bad value is named `query.<field>`. Text values
// are checked by the SDK's schema directly (so OpenAPI shows their enums); a repeated one is
// refused by it as not text.

const NUMBER_TEXT = /^-?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/;

const once = (what: string) => z.string(`must be given once, as ${what}`).trim();

/** A query value read as a number, then checked by `schema`. */
export function queryNumber<Schema extends z.ZodType>(schema: Schema) {
  return once('a number')
    .regex(NUMBER_TEXT, 'must be a number')
    .transform((text) => Number(text))
    .pipe(typed<Schema, number>(schema));
}

/** A query value read as `true`/`false` (or `1`/`0`), then checked by `schema`. */
export function queryBoolean<Schema extends z.ZodType>(schema: Schema) {
  return once('true or false')
    .toLowerCase()
    .pipe(z.enum(['true', 'false', '1', '0'], 'must be true or false'))
    .transform((text) => text === 'true' || text === '1')
    .pipe(typed<Schema, boolean>(schema));
}

/** A list given as repeated parameters (`tags=a&tags=b`), comma-separated (`tags=a,b`), or both. */
export function queryList<Schema extends z.ZodType>(schema: Schema) {
  return z
    .union([z.string(), z.array(z.string())], 'must be text or repeated text')
    .transform((value) =>
      (Array.isArray(value) ? value : [value])
        .flatMap((each) => each.split(','))
        .map((each) => each.trim())
        .filter((each) => each !== ''),
    )
    .pipe(typed<Schema, string[]>(schema));
}

/** The field's schema as taking what the text became (the SDK's schemas take a value or undefined). */
function typed<Schema extends z.ZodType, Input>(schema: Schema) {
  return schema as unknown as z.ZodType<z.output<Schema>, Input>;
}
