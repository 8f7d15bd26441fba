import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { AccountsRepository } from '../auth/accounts.repository';
import { AccountsService, AuthSchemas } from '../auth/accounts.service';
import { isRole, ROLES } from '../auth/roles';
import { AppError } from '../common/errors';
import { loadConfig } from '../config/app-config';
import { openDatabase } from '../database/open-database';

const USAGE = `usage: npm run user -- add <name> --role <${ROLES.join('|')}>
  The password is read from stdin (first line) when stdin is not a terminal; otherwise one is generated and printed.`;

/**
 * `npm run user -- add <name> --role <role>`: creates a person's account on the configured database
 * (DATABASE_URL, or the embedded one in DATA_DIR, which the platform must not be running on: it holds it
 * exclusively). The same service as `POST /api/admin/users`, so the same rules (password ≥ 12 characters).
 */
async function main(argv: readonly string[]): Promise<number> {
  const [command, name, ...rest] = argv;
  const roleAt = rest.indexOf('--role');
  const role = roleAt >= 0 ? rest[roleAt + 1] : undefined;
  if (command !== 'add' || !name || name.startsWith('-') || !isRole(role)) {
    process.stderr.write(`${USAGE}\n`);
    return 2;
  }
  const generated = process.stdin.isTTY ? randomBytes(18).toString('base64url') : undefined;
  const password = generated ?? (await firstLine(process.stdin));

  const config = loadConfig({ ...process.env, LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn' });
  const database = await openDatabase(config);
  try {
    const accounts = new AccountsService(new AccountsRepository(database.db), new AuthSchemas());
    const user = await accounts.createUser({ name, role, password });
    process.stdout.write(`created ${user.role} ${user.name} (${user.id})\n`);
    if (generated) process.stdout.write(`password: ${generated}\n`);
    return 0;
  } finally {
    await database.close();
  }
}

async function firstLine(stream: NodeJS.ReadableStream): Promise<string> {
  let text = '';
  for await (const chunk of stream) {
    text += chunk.toString();
    if (text.includes('\n')) break;
  }
  return text.split(/\r?\n/)[0] ?? '';
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err) => {
    // Input errors (a short password, a taken name) are the user's to fix: their message is enough.
    process.stderr.write(`user: ${err instanceof AppError ? err.message : (err as Error).stack ?? String(err)}\n`);
    process.exit(1);
  },
);
