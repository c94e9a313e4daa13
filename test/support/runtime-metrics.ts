// Imported first by a test that scrapes the Temporal SDK's own metrics: the Runtime (one per process)
// must be installed with its Prometheus exporter before anything else installs a plain one.
import { createServer } from 'node:net';
import { DefaultLogger, Runtime } from '@temporalio/worker';

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

export const temporalMetricsAddress = `127.0.0.1:${await freePort()}`;
process.env.AIGUILLAGE_METRICS = '1';
process.env.AIGUILLAGE_TEMPORAL_METRICS_ADDRESS = temporalMetricsAddress;
Runtime.install({ logger: new DefaultLogger('WARN'), telemetryOptions: { metrics: { prometheus: { bindAddress: temporalMetricsAddress } } } });
