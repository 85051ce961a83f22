// A structured logger with pino's `error(fields, message)` shape.
declare const logger: { error(fields: object, message: string): void };
