// `aiguillage worker`: the worker alone (see worker.ts).
import { runWorkerProcess } from './worker';
await runWorkerProcess();
