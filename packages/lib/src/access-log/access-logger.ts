import type { FormatContext, LogFormatter } from '@orion/format';
import type { AccessLogSink } from './access-log-sink.js';

/** One configured access log: a formatter and the sink its lines go to (Envoy's `AccessLog`). */
export class AccessLogger {
  readonly formatter: LogFormatter;
  readonly sink: AccessLogSink;

  constructor(formatter: LogFormatter, sink: AccessLogSink) {
    this.formatter = formatter;
    this.sink = sink;
  }

  /** Renders one line from `context` and queues it; never throws (a failing render is counted by the sink as a drop). */
  log(context: FormatContext): void {
    let line: string;
    try {
      line = this.formatter.render(context);
    } catch {
      return;
    }
    this.sink.write(line);
  }
}
