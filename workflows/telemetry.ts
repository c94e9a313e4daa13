// Workflow-side OpenTelemetry interceptors (bundled only when tracing is on, see worker/telemetry.ts):
// spans for the intake and order workflows and the activities they schedule, exported through a sink.
export { interceptors } from '@temporalio/interceptors-opentelemetry/lib/workflow-interceptors';
