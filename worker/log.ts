import { pino, destination, type Logger } from 'pino';

/**
 * pino JSON logs; every line of an order's story carries sha256 / orderId / workflowId fields.
 * `file` sends them to a file (the `start` command keeps the terminal for people).
 */
export function createLogger(name: string, file?: string): Logger {
  const options = {
    name,
    level: process.env.LOG_LEVEL ?? 'info',
    redact: { paths: ['password', '*.password', 'apiKey', '*.apiKey', 'authorization', '*.authorization', 'cookie', '*.cookie', 'headers.cookie'], censor: '[secret]' },
  };
  return file ? pino(options, destination({ dest: file, mkdir: true, sync: false })) : pino(options);
}
