// Imported first by the trace test: tracing on, into an in-memory exporter, before any client exists.
import { InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { installTracing } from '../../worker/telemetry';

export const spans = new InMemorySpanExporter();
installTracing(new SimpleSpanProcessor(spans), 'aiguillage-test');
