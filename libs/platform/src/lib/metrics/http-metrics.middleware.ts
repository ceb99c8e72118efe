import { Injectable, NestMiddleware } from '@nestjs/common';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Histogram, Registry } from 'prom-client';

type Request = IncomingMessage & { route?: { path?: string }; baseUrl?: string };

/**
 * `shop_http_request_duration_seconds{method,route,status_code}`: every HTTP request, labelled by
 * its route template (`/orders/:id`, never the raw URL, so the label set stays small). One
 * instance per application (Nest may build the middleware more than once).
 */
@Injectable()
export class HttpMetrics {
  readonly duration: Histogram<'method' | 'route' | 'status_code'>;

  constructor(registry: Registry) {
    this.duration = new Histogram({
      name: 'shop_http_request_duration_seconds',
      help: 'HTTP requests by method, route template and status code',
      labelNames: ['method', 'route', 'status_code'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers: [registry],
    });
  }
}

@Injectable()
export class HttpMetricsMiddleware implements NestMiddleware {
  constructor(private readonly metrics: HttpMetrics) {}

  use(req: Request, res: ServerResponse, next: () => void): void {
    const end = this.metrics.duration.startTimer();
    res.once('finish', () => {
      const route = req.route?.path ? `${req.baseUrl ?? ''}${req.route.path}` : 'unmatched';
      end({ method: req.method ?? 'GET', route, status_code: String(res.statusCode) });
    });
    next();
  }
}
