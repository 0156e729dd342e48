import { LogFormatter, type FormatContext, type JsonValue, type LogFormatterOptions } from '../src/index.js';

/** Renders a text format once. */
export function text(format: string, ctx: FormatContext = {}, options: LogFormatterOptions = {}): string {
  return LogFormatter.text(format, options).render(ctx);
}

/** The typed-JSON value of one operator: `json_format: { v: format }`. */
export function typed(format: string, ctx: FormatContext = {}, options: LogFormatterOptions = {}): JsonValue | undefined {
  const out = JSON.parse(LogFormatter.json({ v: format }, options).render(ctx)) as Record<string, JsonValue>;
  return out['v'];
}

/** The error a parse throws (fails the test when it does not throw). */
export function parseError(format: string): { code: string; message: string; details: { column: number; reason: string } } {
  try {
    LogFormatter.text(format);
  } catch (err) {
    return err as { code: string; message: string; details: { column: number; reason: string } };
  }
  throw new Error(`expected ${JSON.stringify(format)} to be rejected`);
}

/** Epoch ms of 2018-03-28T23:35:58Z, the instant Envoy's formatter tests use (1522280158). */
export const ENVOY_TEST_EPOCH_MS = 1_522_280_158_000;
