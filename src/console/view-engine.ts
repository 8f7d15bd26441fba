import { readdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import Handlebars from 'handlebars';
import { CONSOLE_DIR } from '../common/paths';

/** Handlebars with the console's helpers; partials are every `console/partials/_*.hbs`, named without extension. */
export function consoleViewEngine() {
  const handlebars = Handlebars.create();
  handlebars.registerHelper('eq', (a: unknown, b: unknown) => a === b);
  handlebars.registerHelper('isNull', (a: unknown) => a === null || a === undefined);
  handlebars.registerHelper('json', (value: unknown) => JSON.stringify(value ?? null));
  const partials = Object.fromEntries(
    readdirSync(join(CONSOLE_DIR, 'partials'))
      .filter((f) => f.endsWith('.hbs'))
      .map((f) => [basename(f, '.hbs'), join('partials', f)]),
  );
  return { engine: { handlebars }, root: CONSOLE_DIR, options: { partials }, production: process.env.NODE_ENV !== 'development' };
}
