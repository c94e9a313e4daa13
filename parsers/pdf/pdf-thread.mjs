// The pdf.js side that parses a PDF, in a worker thread of its own (parsers/pdf/thread.ts), so that the
// reading process can stop it in the middle of a parse that will not end (a damaged cross-reference
// table re-read once per duplicated object, a dictionary nested thousands deep…): terminating the thread
// interrupts its JavaScript wherever it is. Plain JavaScript, so that it needs no TypeScript loader.
import { parentPort, workerData } from 'node:worker_threads';

// pdf.js's legacy build installs core-js polyfills of Array.prototype.push and JSON.parse on Node 20
// (it finds an edge case of push non-conforming): every push of its lexer then goes through a JS
// function, three times slower. The natives are put back once pdf.js is loaded.
const natives = { push: Array.prototype.push, parse: JSON.parse };
const { WorkerMessageHandler } = await import('pdfjs-dist/legacy/build/pdf.worker.mjs');
Object.defineProperty(Array.prototype, 'push', { value: natives.push, writable: true, configurable: true, enumerable: false });
Object.defineProperty(JSON, 'parse', { value: natives.parse, writable: true, configurable: true, enumerable: false });

/** @type {import('node:worker_threads').MessagePort} */
const port = workerData.port;
port.start();
WorkerMessageHandler.initializeFromPort(port);
parentPort?.postMessage('ready');
