import { pino, type Logger } from 'pino';

/** pino JSON logs; every line of an order's story carries sha256 / orderId / workflowId fields. */
export function createLogger(name: string): Logger {
  return pino({
    name,
    level: process.env.LOG_LEVEL ?? 'info',
    redact: { paths: ['password', '*.password', 'apiKey', '*.apiKey', 'authorization', '*.authorization', 'cookie', '*.cookie'], censor: '[secret]' },
  });
}
