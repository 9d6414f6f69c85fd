import type { Command } from 'commander';
import { configOrExit } from './config.ts';

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  return Buffer.concat(chunks)
    .toString('utf8')
    .replace(/\r?\n$/, '');
}

export function registerAdminCommands(program: Command): void {
  const admin = program
    .command('admin')
    .description('Administrative tasks run against the database directly.');
  admin
    .command('create-user')
    .description('Create an account. The password is read from stdin so it stays out of shell history.')
    .requiredOption('--email <email>', 'sign-in email')
    .requiredOption('--name <displayName>', 'display name')
    .option('--instance-admin', 'make the account an instance administrator', false)
    .option('--workspace <slug>', 'add the account to this workspace')
    .option('--role <role>', 'role in --workspace: owner, admin, member or guest', 'member')
    .action(
      async (opts: {
        email: string;
        name: string;
        instanceAdmin: boolean;
        workspace?: string;
        role: string;
      }) => {
        if (!['owner', 'admin', 'member', 'guest'].includes(opts.role))
          throw new Error(`--role must be owner, admin, member or guest (got "${opts.role}")`);
        if (!/^[^@\s]+@[^@\s]+$/.test(opts.email)) throw new Error('--email must be an email address');
        if (process.stdin.isTTY) process.stderr.write('Password (then Enter, Ctrl-D): ');
        const password = await readStdin();
        if (password.length < 10)
          throw new Error('the password must be at least 10 characters (read from stdin)');
        const config = await configOrExit();
        const { createLogger, insertUser, Stores } = await import('@enclave/server');
        const log = createLogger('warn');
        const stores = await Stores.open(config, log);
        try {
          const user = await stores.directory.transaction().execute(async (db) => {
            const u = await insertUser(
              db,
              {
                email: opts.email,
                password,
                displayName: opts.name,
                kind: 'human',
                instanceRole: opts.instanceAdmin ? 'admin' : 'user',
              },
              null,
            );
            if (opts.workspace) {
              const ws = await db
                .selectFrom('workspaces')
                .select('id')
                .where('slug', '=', opts.workspace)
                .executeTakeFirst();
              if (!ws) throw new Error(`no workspace with slug "${opts.workspace}"`);
              await db
                .insertInto('workspace_members')
                .values({ workspace_id: ws.id, user_id: u.id, role: opts.role as 'member' })
                .execute();
            }
            return u;
          });
          process.stdout.write(`Created user ${user.id}\n`);
        } finally {
          await stores.close();
        }
      },
    );
}
