// Imported first by a test that scrapes the Temporal SDK's own metrics: the Runtime (one per process)
// must be installed with its Prometheus exporter before anything else installs a plain one. No
// top-level await here: modules imported after this one must not run before it.
import { DefaultLogger, Runtime } from '@temporalio/worker';

export const temporalMetricsAddress = `127.0.0.1:${20_000 + (process.pid % 20_000)}`;
process.env.AIGUILLAGE_METRICS = '1';
process.env.AIGUILLAGE_TEMPORAL_METRICS_ADDRESS = temporalMetricsAddress;
Runtime.install({ logger: new DefaultLogger('WARN'), telemetryOptions: { metrics: { prometheus: { bindAddress: temporalMetricsAddress } } } });
