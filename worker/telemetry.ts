// OpenTelemetry traces, off by default. The standard variables turn them on: OTEL_TRACES_EXPORTER=otlp
// (or console), OTEL_EXPORTER_OTLP_ENDPOINT / OTEL_EXPORTER_OTLP_TRACES_ENDPOINT, OTEL_SERVICE_NAME.
// Spans run from the HTTP or IMAP receipt through the intake and order workflows and their
// activities, with the Temporal SDK's OpenTelemetry interceptors carrying the context across.
import * as otel from '@opentelemetry/api';
import { Resource } from '@opentelemetry/resources';
import { BatchSpanProcessor, ConsoleSpanExporter, type SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { ATTR_SERVICE_NAME } from '@opentelemetry/semantic-conventions';
import { OpenTelemetryActivityInboundInterceptor, OpenTelemetryActivityOutboundInterceptor, OpenTelemetryWorkflowClientInterceptor, makeWorkflowExporter } from '@temporalio/interceptors-opentelemetry';
import type { WorkflowClientInterceptor } from '@temporalio/client';
import type { ActivityInboundCallsInterceptor, ActivityExecuteInput, Next, WorkerOptions } from '@temporalio/worker';
import { join } from 'node:path';
import { ROOT } from './config';

/** The module the workflow bundle takes its OpenTelemetry interceptors from (workflows/ is sandboxed). */
export const WORKFLOW_TRACING_MODULE = join(ROOT, 'workflows', 'telemetry.ts');

/** Attribute names carried by our spans. */
export const ATTR = { sha256: 'aiguillage.document.sha256', orderId: 'aiguillage.order.id', channel: 'aiguillage.document.channel', fileName: 'aiguillage.document.file_name' } as const;

interface Tracing {
  provider: NodeTracerProvider;
  processor: SpanProcessor;
  resource: Resource;
}

let active: Tracing | null = null;

/** Turn tracing on with this span processor (a test's in-memory exporter, or the one from the environment). */
export function installTracing(processor: SpanProcessor, serviceName = process.env.OTEL_SERVICE_NAME || 'aiguillage'): void {
  if (active) return;
  const resource = new Resource({ [ATTR_SERVICE_NAME]: serviceName });
  const provider = new NodeTracerProvider({ resource, spanProcessors: [processor] });
  provider.register();
  active = { provider, processor, resource };
}

/** From the standard OTEL_* variables; does nothing when no exporter is asked for. Returns what it did, for the banner. */
export function tracingFromEnv(env: NodeJS.ProcessEnv = process.env): string | null {
  if (env.OTEL_SDK_DISABLED === 'true') return null;
  const exporters = (env.OTEL_TRACES_EXPORTER ?? (env.OTEL_EXPORTER_OTLP_ENDPOINT || env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT ? 'otlp' : 'none')).split(',').map((s) => s.trim());
  if (exporters.includes('console')) {
    installTracing(new BatchSpanProcessor(new ConsoleSpanExporter()));
    return 'console';
  }
  if (!exporters.includes('otlp')) return null;
  // The exporter reads OTEL_EXPORTER_OTLP_(TRACES_)ENDPOINT and _HEADERS itself (default http://localhost:4318).
  installTracing(new BatchSpanProcessor(new OTLPTraceExporter()));
  return `otlp ${env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT ?? env.OTEL_EXPORTER_OTLP_ENDPOINT ?? 'http://localhost:4318'}`;
}

export function tracingEnabled(): boolean {
  return active !== null;
}

export async function shutdownTracing(): Promise<void> {
  const t = active;
  active = null;
  if (t) await t.provider.shutdown();
}

/** Interceptors for a Temporal client: workflow starts and signals carry the current span. */
export function clientInterceptors(): { workflow: WorkflowClientInterceptor[] } | undefined {
  return active ? { workflow: [new OpenTelemetryWorkflowClientInterceptor()] } : undefined;
}

/** Our attributes on the activity's span: the document hash and the order ID, from the activity's input. */
class OrderAttributesInterceptor implements ActivityInboundCallsInterceptor {
  async execute(input: ActivityExecuteInput, next: Next<ActivityInboundCallsInterceptor, 'execute'>): Promise<unknown> {
    const span = otel.trace.getActiveSpan();
    const arg = input.args[0] as { sha256?: unknown; orderId?: unknown; document?: { sha256?: unknown } } | undefined;
    if (span && arg && typeof arg === 'object') {
      const sha = typeof arg.sha256 === 'string' ? arg.sha256 : typeof arg.document?.sha256 === 'string' ? arg.document.sha256 : null;
      if (sha) span.setAttribute(ATTR.sha256, sha);
      if (typeof arg.orderId === 'string') span.setAttribute(ATTR.orderId, arg.orderId);
    }
    return next(input);
  }
}

/**
 * Worker options for tracing: activity and workflow interceptors, and the sink workflow spans leave by.
 * A prebuilt bundle (tests) must have been built with WORKFLOW_TRACING_MODULE among its interceptor modules.
 */
export function workerTracing(prebuiltBundle = false): Pick<WorkerOptions, 'interceptors' | 'sinks'> {
  if (!active) return {};
  const { processor, resource } = active;
  return {
    interceptors: {
      ...(prebuiltBundle ? {} : { workflowModules: [WORKFLOW_TRACING_MODULE] }),
      activity: [
        (ctx) => ({ inbound: new OpenTelemetryActivityInboundInterceptor(ctx), outbound: new OpenTelemetryActivityOutboundInterceptor(ctx) }),
        () => ({ inbound: new OrderAttributesInterceptor() }),
      ],
    },
    sinks: { exporter: makeWorkflowExporter(processor, resource) },
  };
}

/** A span around receiving one document (HTTP, IMAP, folder); the intake workflow start is its child. */
export async function receiptSpan<T>(name: string, attributes: Record<string, string>, fn: (span: otel.Span | null) => Promise<T>): Promise<T> {
  if (!active) return fn(null);
  const tracer = otel.trace.getTracer('aiguillage');
  return tracer.startActiveSpan(name, { kind: otel.SpanKind.SERVER, attributes }, async (span) => {
    try {
      return await fn(span);
    } catch (e) {
      span.recordException(e as Error);
      span.setStatus({ code: otel.SpanStatusCode.ERROR, message: (e as Error).message });
      throw e;
    } finally {
      span.end();
    }
  });
}
