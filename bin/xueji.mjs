#!/usr/bin/env node
// The `xueji` command. The CLI is TypeScript in cli/; tsx runs it without a build step.
import { register } from 'tsx/esm/api';

register();
const { main, installProcessGuards } = await import('../cli/main.ts');
installProcessGuards(process);
process.exitCode = await main(process.argv.slice(2));
