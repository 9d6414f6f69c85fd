import pino, { type Logger } from 'pino';

/**
 * Structured logs. Requests are logged by method, path (no query string: it can
 * carry search terms) and id. Bodies, cookies and authorization headers are
 * never logged.
 */
export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  const options: pino.LoggerOptions = {
    level,
    base: { service: 'enclave' },
    redact: { paths: ['req.headers.authorization', 'req.headers.cookie', 'password', 'token'], remove: true },
    serializers: {
      req: (req: { id: string; method: string; url: string }) => ({
        id: req.id,
        method: req.method,
        path: req.url.split('?')[0],
      }),
      res: (res: { statusCode: number }) => ({ status: res.statusCode }),
    },
  };
  return destination ? pino(options, destination) : pino(options);
}
