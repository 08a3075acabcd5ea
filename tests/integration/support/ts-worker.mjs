// Worker-thread entry that runs a TypeScript module through tsx (as bin/xueji.mjs does for the CLI).
import { workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
await import(workerData.entry);
