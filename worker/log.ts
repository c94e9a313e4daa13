import { pino, destination, type Logger } from 'pino';
import { DefaultLogger, makeTelemetryFilterString, type RuntimeOptions } from '@temporalio/worker';

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

/**
 * The Temporal SDK's own log lines (worker, core, gRPC retries) into our pino log, one line each:
 * an error keeps its message and type, never its stack (an alert endpoint that is down is one line
 * per attempt, not a stack dump on the console).
 */
export function temporalSdkLogger(log: Logger, level: 'TRACE' | 'DEBUG' | 'INFO' | 'WARN' | 'ERROR' = 'WARN'): DefaultLogger {
  const sdk = log.child({ component: 'temporal-sdk' });
  return new DefaultLogger(level, ({ level: l, message, meta }) => {
    const fields: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(meta ?? {})) {
      if (v instanceof Error) fields[k] = `${v.name}: ${v.message}${v.cause instanceof Error ? ` (${v.cause.message})` : ''}`;
      else if (typeof v !== 'object' || v === null) fields[k] = v;
    }
    const method = l === 'ERROR' ? 'error' : l === 'WARN' ? 'warn' : l === 'INFO' ? 'info' : 'debug';
    sdk[method](fields, message);
  });
}

/** Runtime options that keep the SDK's and core's lines in our log (level WARN), with Temporal's metrics when asked. */
export function runtimeOptions(log: Logger, temporalMetrics: string | null): RuntimeOptions {
  return {
    logger: temporalSdkLogger(log),
    telemetryOptions: {
      logging: { filter: makeTelemetryFilterString({ core: 'WARN', other: 'ERROR' }), forward: {} },
      ...(temporalMetrics ? { metrics: { prometheus: { bindAddress: temporalMetrics } } } : {}),
    },
  };
}
