// The worker process entry (`dist/worker.js`): the primary forks it through `node:cluster`.
import { runWorkerProcess } from './worker/worker-process.js';

runWorkerProcess();
