import { type Logger, type LoggerOptions, type DestinationStream, pino } from 'pino';

export type { Logger };

/**
 * One structured logger (JSON lines on stdout). Request lines carry the request ID that error
 * responses carry, and never a user, an address or a query string: the identity behind an
 * anonymous report must not reach the logs.
 */
export function createLogger(level: string, destination?: DestinationStream): Logger {
  const options: LoggerOptions = {
    level,
    base: { service: 'lapor' },
    timestamp: pino.stdTimeFunctions.isoTime,
    // Belt and braces: should a log call ever pass these, they are blanked.
    redact: {
      paths: ['password', '*.password', 'token', '*.token', 'authorization', '*.authorization', 'cookie', '*.cookie'],
      censor: '[redacted]',
    },
  };
  return destination ? pino(options, destination) : pino(options);
}
