#!/usr/bin/env node
import { Command } from 'commander';
import { registerAdminCommands } from './commands/admin.ts';
import { registerAuditCommands } from './commands/audit.ts';
import { registerDbCommands } from './commands/db.ts';
import { registerPiiCommands } from './commands/pii-scan.ts';
import { registerPolicyCommands } from './commands/policy.ts';
import { registerServeCommand } from './commands/serve.ts';

const program = new Command()
  .name('enclave')
  .description('Enclave: workplace collaboration where end-user personal data is governed.')
  .version('0.1.0')
  .showHelpAfterError()
  .exitOverride((err) => {
    // commander throws on --help/--version too; those are successes.
    process.exit(err.exitCode);
  });

registerServeCommand(program);
registerDbCommands(program);
registerAdminCommands(program);
registerPiiCommands(program);
registerPolicyCommands(program);
registerAuditCommands(program);

try {
  await program.parseAsync(process.argv);
} catch (err) {
  console.error(`enclave: ${(err as Error).message}`);
  process.exit(1);
}
