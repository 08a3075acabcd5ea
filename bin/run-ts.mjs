#!/usr/bin/env node
import { resolve } from 'node:path';
// Runs a TypeScript entry point (bench, scripts) through tsx, forwarding the remaining arguments.
import { pathToFileURL } from 'node:url';
import { register } from 'tsx/esm/api';

register();
const [entry, ...rest] = process.argv.slice(2);
if (!entry) {
  console.error('用法: run-ts.mjs <入口文件.ts> [参数…]');
  process.exit(2);
}
process.argv = [process.argv[0], entry, ...rest];
await import(pathToFileURL(resolve(entry)).href);
