import { describe, expect, it } from 'vitest';
import { createTelemetryMetrics, renderMetrics } from './prometheus.js';

describe('prometheus metrics', () => {
  it('counts requests by channel, method and status class on its own registry', async () => {
    const m = createTelemetryMetrics();
    m.observeRequest('rest', 'GET', 200, 12);
    m.observeRequest('rest', 'GET', 204, 30);
    m.observeRequest('mcp', 'POST', 502, 2500);
    m.observeRequest('rest', 'BREW', 418, 1);
    m.logsDropped.inc({ reason: 'overflow' }, 3);
    m.rateLimiterFailOpen.inc();
    const text = await renderMetrics(m.registry);
    expect(text).toContain('gatehouse_requests_total{channel="rest",method="GET",status_class="2xx"} 2');
    expect(text).toContain('gatehouse_requests_total{channel="mcp",method="POST",status_class="5xx"} 1');
    expect(text).toContain('gatehouse_requests_total{channel="rest",method="OTHER",status_class="4xx"} 1');
    expect(text).toContain('gatehouse_request_duration_seconds_bucket{le="0.02",channel="rest"} 2');
    expect(text).toContain('gatehouse_request_duration_seconds_count{channel="mcp"} 1');
    expect(text).toContain('gatehouse_request_duration_seconds_bucket{le="2",channel="mcp"} 0');
    expect(text).toContain('gatehouse_request_duration_seconds_bucket{le="5",channel="mcp"} 1');
    expect(text).toContain('gatehouse_request_duration_seconds_bucket{le="+Inf",channel="rest"} 3');
    expect(text).toContain('gatehouse_request_duration_seconds_sum{channel="rest"} 0.043');
    expect(text).toContain('# TYPE gatehouse_request_duration_seconds histogram');
    expect(text).toContain('gatehouse_request_logs_dropped_total{reason="overflow"} 3');
    expect(text).toContain('gatehouse_request_log_write_errors_total 0');
    expect(text).toContain('gatehouse_rate_limiter_fail_open_total 1');
    expect(text).toContain('process_cpu_user_seconds_total');
    expect(m.registry.contentType).toContain('text/plain');
  });

  it('reports counts as of each scrape, without resetting them', async () => {
    const m = createTelemetryMetrics();
    m.observeRequest('rest', 'GET', 200, 1);
    expect(await renderMetrics(m.registry)).toContain('gatehouse_requests_total{channel="rest",method="GET",status_class="2xx"} 1');
    m.observeRequest('rest', 'GET', 200, 1);
    m.observeRequest('rest', 'GET', 99, 20_000);
    const text = await renderMetrics(m.registry);
    expect(text).toContain('gatehouse_requests_total{channel="rest",method="GET",status_class="2xx"} 2');
    expect(text).toContain('gatehouse_requests_total{channel="rest",method="GET",status_class="other"} 1');
    expect(text).toContain('gatehouse_request_duration_seconds_bucket{le="10",channel="rest"} 2');
    expect(text).toContain('gatehouse_request_duration_seconds_bucket{le="+Inf",channel="rest"} 3');
  });

  it('keeps registries apart', async () => {
    const a = createTelemetryMetrics();
    const b = createTelemetryMetrics();
    a.observeRequest('rest', 'GET', 200, 1);
    expect(await renderMetrics(b.registry)).not.toContain('gatehouse_requests_total{');
  });
});
