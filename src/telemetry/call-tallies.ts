import { Counter, Histogram, type MetricType, type Registry } from 'prom-client';
import { HTTP_METHODS, type RequestChannel } from '../core/index.js';
import { HISTOGRAM_SIZE, LATENCY_BOUNDS_MS, latencyBucket } from './histogram.js';

// Unknown methods fold into OTHER so a caller cannot mint label values.
const METHODS = [...HTTP_METHODS, 'OTHER'] as const;
const METHOD_INDEX = new Map<string, number>(METHODS.map((m, i) => [m, i]));
const OTHER_METHOD = METHODS.length - 1;
const STATUS_CLASSES = ['1xx', '2xx', '3xx', '4xx', '5xx', 'other'] as const;

function statusClassIndex(status: number): number {
  return status >= 100 && status < 600 ? Math.floor(status / 100) - 1 : STATUS_CLASSES.length - 1;
}

/** One channel's counts: calls per method × status class, and its latency histogram. */
class ChannelTally {
  readonly calls = new Float64Array(METHODS.length * STATUS_CLASSES.length);
  /** Per bucket of LATENCY_BOUNDS_MS (not cumulative), the last one open-ended. */
  readonly buckets = new Float64Array(HISTOGRAM_SIZE);
  sumSeconds = 0;
  count = 0;
}

/**
 * Finished calls counted in typed arrays on the hot path (an index computation and three
 * increments), read by Prometheus only at scrape time. prom-client's labelled children hash their
 * labels on every inc()/observe(), about a microsecond per call at gateway rates.
 */
export class CallTallies {
  readonly #channels = new Map<RequestChannel, ChannelTally>();

  /** Counts one finished call. */
  observe(channel: RequestChannel, method: string, status: number, latencyMs: number): void {
    let t = this.#channels.get(channel);
    if (t === undefined) {
      t = new ChannelTally();
      this.#channels.set(channel, t);
    }
    const m = METHOD_INDEX.get(method) ?? OTHER_METHOD;
    t.calls[m * STATUS_CLASSES.length + statusClassIndex(status)]! += 1;
    t.buckets[latencyBucket(latencyMs)]! += 1;
    t.sumSeconds += latencyMs / 1000;
    t.count++;
  }

  /** Calls counted so far, on every channel. */
  total(): number {
    let n = 0;
    for (const t of this.#channels.values()) n += t.count;
    return n;
  }

  /** Registers `gatehouse_requests_total` and `gatehouse_request_duration_seconds`, whose values are read from the tallies at each scrape. */
  register(registry: Registry): void {
    const channels = this.#channels;
    new Counter({
      name: 'gatehouse_requests_total',
      help: 'Calls handled, by channel, method and status class.',
      labelNames: ['channel', 'method', 'status_class'] as const,
      registers: [registry],
      collect() {
        this.reset();
        for (const [channel, t] of channels) {
          for (let i = 0; i < t.calls.length; i++) {
            const n = t.calls[i]!;
            if (n === 0) continue;
            const method = METHODS[Math.floor(i / STATUS_CLASSES.length)]!;
            this.inc({ channel, method, status_class: STATUS_CLASSES[i % STATUS_CLASSES.length]! }, n);
          }
        }
      },
    });
    new TallyHistogram(channels, registry);
  }
}

const DURATION = 'gatehouse_request_duration_seconds';
const DURATION_HELP = 'Total call latency as the caller saw it.';
// prom-client's typings declare a numeric enum here; its registry writes the type's string as is.
const HISTOGRAM_TYPE = 'histogram' as unknown as MetricType;
const BOUNDS_SECONDS = LATENCY_BOUNDS_MS.map((ms) => ms / 1000);

/** A prom-client Histogram whose values come from the tallies instead of observe() calls. */
class TallyHistogram extends Histogram<'channel'> {
  readonly #channels: ReadonlyMap<RequestChannel, ChannelTally>;

  constructor(channels: ReadonlyMap<RequestChannel, ChannelTally>, registry: Registry) {
    super({ name: DURATION, help: DURATION_HELP, labelNames: ['channel'] as const, buckets: BOUNDS_SECONDS, registers: [registry] });
    this.#channels = channels;
  }

  /** What prom-client's registry reads when it renders text (it prefers this to get() when present). */
  async getForPromString(): ReturnType<Histogram<'channel'>['get']> {
    return this.get();
  }

  override async get(): ReturnType<Histogram<'channel'>['get']> {
    const values: Awaited<ReturnType<Histogram<'channel'>['get']>>['values'] = [];
    for (const [channel, t] of this.#channels) {
      let cumulative = 0;
      for (let i = 0; i < BOUNDS_SECONDS.length; i++) {
        cumulative += t.buckets[i]!;
        // prom-client's own histograms put `le` in the labels the same way.
        values.push({ metricName: `${DURATION}_bucket`, labels: { le: BOUNDS_SECONDS[i]!, channel } as { channel: string }, value: cumulative });
      }
      values.push({ metricName: `${DURATION}_bucket`, labels: { le: '+Inf', channel } as { channel: string }, value: t.count });
      values.push({ metricName: `${DURATION}_sum`, labels: { channel }, value: t.sumSeconds });
      values.push({ metricName: `${DURATION}_count`, labels: { channel }, value: t.count });
    }
    // The typings want a collect hook on the result; these values are current already.
    return { name: DURATION, help: DURATION_HELP, type: HISTOGRAM_TYPE, values, aggregator: 'sum', collect: () => {} };
  }
}
