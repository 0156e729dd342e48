import { describe, expect, it } from 'vitest';
import { LogFormatter, type FormatContext } from '../../src/index.js';
import { ENVOY_TEST_EPOCH_MS, text, typed } from '../helpers.js';

const at = (ms: number, nanos = 0): FormatContext => ({ startTime: ms, startTimeNanos: nanos });
// 1522796769123456 µs, the instant of Envoy's CompositeFormatterSuccess START_TIME cases.
const MICROS_CTX = at(1_522_796_769_123, 456_000);

describe('START_TIME and the other time operators', () => {
  it('[substitution_formatter_test CompositeFormatterSuccess] various START_TIME formats', () => {
    expect(text('%START_TIME(%Y/%m/%d)%|%START_TIME(%s)%|%START_TIME(bad_format)%|%START_TIME%|%START_TIME(%f.%1f.%2f.%3f)%', at(ENVOY_TEST_EPOCH_MS))).toBe(
      '2018/03/28|1522280158|bad_format|2018-03-28T23:35:58.000Z|000000000.0.00.000',
    );
  });

  it('[substitution_formatter_test CompositeFormatterSuccess] the beginning of time', () => {
    expect(text('%START_TIME(%Y/%m/%d)%|%START_TIME(%s)%|%START_TIME(bad_format)%|%START_TIME%|%START_TIME(%f.%1f.%2f.%3f)%', at(0))).toBe(
      '1970/01/01|0|bad_format|1970-01-01T00:00:00.000Z|000000000.0.00.000',
    );
  });

  it('[substitution_formatter_test CompositeFormatterSuccess] %s.%3f … %s.%6f', () => {
    expect(text('%START_TIME(%s.%3f)%|%START_TIME(%s.%4f)%|%START_TIME(%s.%5f)%|%START_TIME(%s.%6f)%', MICROS_CTX)).toBe(
      '1522796769.123|1522796769.1234|1522796769.12345|1522796769.123456',
    );
  });

  it('[substitution_formatter_test CompositeFormatterSuccess] several segments in one specifier', () => {
    expect(text('%START_TIME(segment1:%s.%3f|segment2:%s.%4f|seg3:%s.%6f|%s-%3f-asdf-%9f|.%7f:segm5:%Y)%', MICROS_CTX)).toBe(
      'segment1:1522796769.123|segment2:1522796769.1234|seg3:1522796769.123456|1522796769-123-asdf-123456000|.1234560:segm5:2018',
    );
  });

  it('[substitution_formatter_test CompositeFormatterSuccess] %% inside the time format', () => {
    expect(text('%START_TIME(%%%%|%%%%%f|%s%%%%%3f|%1f%%%%%s)%', MICROS_CTX)).toBe('%%|%%123456000|1522796769%%123|1%%1522796769');
  });

  it('[substitution_formatter_test CompositeFormatterSuccess] an unknown %E conversion is printed as written', () => {
    expect(text('%START_TIME(%E4n)%', MICROS_CTX)).toBe('%E4n');
  });

  it('[docs START_TIME] %START_TIME(%Y/%m/%dT%H:%M:%S%z)%', () => {
    expect(text('%START_TIME(%Y/%m/%dT%H:%M:%S%z)%', at(ENVOY_TEST_EPOCH_MS))).toBe('2018/03/28T23:35:58+0000');
  });

  it('[docs START_TIME] %9f is nanoseconds, %f defaults to 9 digits', () => {
    expect(text('%START_TIME(%s.%9f)% %START_TIME(%f)%', at(ENVOY_TEST_EPOCH_MS + 528, 123_456))).toBe('1522280158.528123456 528123456');
  });

  it('[substitution_formatter_test StartTimeFormatter] typed JSON renders START_TIME as a string', () => {
    expect(typed('%START_TIME(%Y/%m/%d)%', at(ENVOY_TEST_EPOCH_MS))).toBe('2018/03/28');
    expect(typed('%START_TIME(%s)%', at(ENVOY_TEST_EPOCH_MS))).toBe('1522280158');
    expect(typed('%START_TIME%', {})).toBeNull();
  });

  it('[substitution_formatter_test JsonFormatterStartTimeTest] START_TIME_LOCAL uses the local zone', () => {
    const d = new Date(ENVOY_TEST_EPOCH_MS);
    const offset = -d.getTimezoneOffset();
    const sign = offset < 0 ? '-' : '+';
    const abs = Math.abs(offset);
    const pad = (n: number) => String(n).padStart(2, '0');
    const expected = `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.000${sign}${pad(Math.floor(abs / 60))}${pad(abs % 60)}`;
    expect(text('%START_TIME_LOCAL%', at(ENVOY_TEST_EPOCH_MS))).toBe(expected);
    expect(text('%START_TIME_LOCAL(%s)%', at(ENVOY_TEST_EPOCH_MS))).toBe('1522280158');
  });

  it('[docs EMIT_TIME] uses the emit time, Date.now() when absent', () => {
    expect(text('%EMIT_TIME%', { emitTime: ENVOY_TEST_EPOCH_MS + 7 })).toBe('2018-03-28T23:35:58.007Z');
    const before = Math.floor(Date.now() / 1000);
    const s = Number(text('%EMIT_TIME(%s)%'));
    expect(s).toBeGreaterThanOrEqual(before);
    expect(text('%EMIT_TIME_LOCAL(%s)%', { emitTime: 1000 })).toBe('1');
  });

  it('[substitution_formatter_test DownstreamPeerCertVStartFormatter / VEnd] custom and default formats', () => {
    const tls = { peerCertificateValidFrom: ENVOY_TEST_EPOCH_MS, peerCertificateExpiration: ENVOY_TEST_EPOCH_MS };
    expect(text('%DOWNSTREAM_PEER_CERT_V_START(%b %e %H:%M:%S %Y %Z)%', { downstreamTls: tls })).toBe('Mar 28 23:35:58 2018 UTC');
    expect(text('%DOWNSTREAM_PEER_CERT_V_END%', { downstreamTls: tls })).toBe('2018-03-28T23:35:58.000Z');
    expect(text('%DOWNSTREAM_PEER_CERT_V_START(%Y/%m/%d)%', { downstreamTls: {} })).toBe('-');
    expect(typed('%DOWNSTREAM_PEER_CERT_V_END(%Y/%m/%d)%', {})).toBeNull();
  });

  it('[substitution_formatter_test UpstreamPeerCertVStartFormatter / VEnd] custom and default formats', () => {
    const tls = { peerCertificateValidFrom: ENVOY_TEST_EPOCH_MS, peerCertificateExpiration: ENVOY_TEST_EPOCH_MS };
    expect(text('%UPSTREAM_PEER_CERT_V_START(%b %e %H:%M:%S %Y %Z)%', { upstreamTls: tls })).toBe('Mar 28 23:35:58 2018 UTC');
    expect(text('%UPSTREAM_PEER_CERT_V_END%', { upstreamTls: tls })).toBe('2018-03-28T23:35:58.000Z');
    expect(text('%UPSTREAM_PEER_CERT_V_START%', {})).toBe('-');
  });

  it('accepts a fractional start time (sub-millisecond precision from performance.now())', () => {
    expect(text('%START_TIME(%s.%6f)% %START_TIME%', { startTime: ENVOY_TEST_EPOCH_MS + 999.5 })).toBe('1522280158.999500 2018-03-28T23:35:58.999Z');
  });

  it('caches per second and recomputes only the sub-second digits (1 ms steps across a second boundary)', () => {
    const f = LogFormatter.text('%START_TIME%').createLocal();
    const lines: string[] = [];
    for (let i = 998; i <= 1001; i++) lines.push(f.render(at(ENVOY_TEST_EPOCH_MS + i)));
    expect(lines).toEqual(['2018-03-28T23:35:58.998Z', '2018-03-28T23:35:58.999Z', '2018-03-28T23:35:59.000Z', '2018-03-28T23:35:59.001Z']);
  });

  it('each LogFormatterLocal has its own time cache', () => {
    const formatter = LogFormatter.text('%START_TIME(%s.%3f)%');
    const a = formatter.createLocal();
    const b = formatter.createLocal();
    expect(a.render(at(1_000))).toBe('1.000');
    expect(b.render(at(5_500))).toBe('5.500');
    expect(a.render(at(1_001))).toBe('1.001');
  });
});

describe('strftime conversions (C locale, as absl::FormatTime / glibc strftime)', () => {
  // Expected strings produced by GNU `date -u -d @1522280158 +FORMAT`.
  const CASES: ReadonlyArray<readonly [string, string]> = [
    ['%a %A %b %B %h', 'Wed Wednesday Mar March Mar'],
    ['%C %d %D %e %F', '20 28 03/28/18 28 2018-03-28'],
    ['%g %G %H %I %j %k %l', '18 2018 23 11 087 23 11'],
    ['%m %M %p %r %R %S %T', '03 35 PM 11:35:58 PM 23:35 58 23:35:58'],
    ['%u %U %V %w %W %y %Y', '3 12 13 3 13 18 2018'],
    ['%c|%x|%X', 'Wed Mar 28 23:35:58 2018|03/28/18|23:35:58'],
    ['%z %Ez %E*z %Z', '+0000 +00:00 +00:00:00 UTC'],
    ['%E3S %E*S %E6f %E4Y', '58.000 58 000000 2018'],
    ['%Ey %EY %Od %OH %OM %OS', '18 2018 28 23 35 58'],
    ['%-d %-m %_H %^a %10Y', '28 3 23 WED 0000002018'],
    ['%q %Q %%', '%q %Q %'],
  ];
  it.each(CASES)('[docs START_TIME: put_time format string] %s', (format, expected) => {
    expect(text(`%START_TIME(${format})%`, at(ENVOY_TEST_EPOCH_MS))).toBe(expected);
  });

  it('ISO week-numbering years at year boundaries', () => {
    expect(text('%START_TIME(%U %V %G %W %j)%', at(Date.UTC(2018, 0, 1)))).toBe('00 01 2018 01 001');
    expect(text('%START_TIME(%U %V %G %W %g)%', at(Date.UTC(2021, 0, 1)))).toBe('00 53 2020 00 20');
  });

  it('%E*S and %E*f trim trailing zeros', () => {
    expect(text('%START_TIME(%E*S|%E*f)%', at(ENVOY_TEST_EPOCH_MS + 120))).toBe('58.12|12');
  });
});
