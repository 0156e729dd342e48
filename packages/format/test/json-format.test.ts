import { describe, expect, it } from 'vitest';
import { OrionError } from '@orion/error';
import { LogFormatter, ORION_ERR_FORMAT_CONFIG, type FormatContext } from '../src/index.js';

const HTTP11: FormatContext = { protocol: 'HTTP/1.1' };

describe('json_format (typed, Envoy JsonFormatterImpl)', () => {
  it('[substitution_formatter_test JsonFormatterPlainStringTest] a plain string', () => {
    expect(LogFormatter.json({ plain_string: 'plain_string_value' }).render(HTTP11)).toBe('{"plain_string":"plain_string_value"}\n');
  });

  it('[substitution_formatter_test JsonFormatterPlainNumberTest] a plain number stays a number', () => {
    expect(LogFormatter.json({ plain_number: 400 }).render(HTTP11)).toBe('{"plain_number":400}\n');
  });

  it('[substitution_formatter_test JsonFormatterTypesTest] string, struct and list values', () => {
    const f = LogFormatter.json({
      string_type: 'plain_string_value',
      struct_type: { plain_string: 'plain_string_value', protocol: '%PROTOCOL%' },
      list_type: ['plain_string_value', '%PROTOCOL%'],
    });
    expect(JSON.parse(f.render(HTTP11))).toEqual({
      string_type: 'plain_string_value',
      struct_type: { plain_string: 'plain_string_value', protocol: 'HTTP/1.1' },
      list_type: ['plain_string_value', 'HTTP/1.1'],
    });
  });

  it('[substitution_formatter_test JsonFormatterNestedObjectsTest] three levels of structs and lists', () => {
    const f = LogFormatter.json({
      struct: {
        struct_protocol: '%PROTOCOL%',
        struct_struct: { struct_struct_struct: { p: '%PROTOCOL%' }, struct_struct_list: ['s', '%PROTOCOL%'] },
        struct_list: ['s', '%PROTOCOL%', { p: '%PROTOCOL%' }, ['s', '%PROTOCOL%']],
      },
      list: ['s', '%PROTOCOL%', { l: ['s', '%PROTOCOL%'] }, [['%PROTOCOL%']]],
    });
    expect(JSON.parse(f.render(HTTP11))).toEqual({
      struct: {
        struct_protocol: 'HTTP/1.1',
        struct_struct: { struct_struct_struct: { p: 'HTTP/1.1' }, struct_struct_list: ['s', 'HTTP/1.1'] },
        struct_list: ['s', 'HTTP/1.1', { p: 'HTTP/1.1' }, ['s', 'HTTP/1.1']],
      },
      list: ['s', 'HTTP/1.1', { l: ['s', 'HTTP/1.1'] }, [['HTTP/1.1']]],
    });
  });

  it('[substitution_formatter_test EmptyJsonFormatterTest] an empty string value', () => {
    expect(LogFormatter.json({ protocol: '' }).render(HTTP11)).toBe('{"protocol":""}\n');
  });

  it('[substitution_formatter_test JsonFormatterNonExistentHeaderTest] a missing header is null', () => {
    const f = LogFormatter.json({
      protocol: '%PROTOCOL%',
      some_request_header: '%REQ(some_request_header)%',
      nonexistent_response_header: '%RESP(nonexistent_response_header)%',
      some_response_header: '%RESP(some_response_header)%',
    });
    const ctx = { ...HTTP11, requestHeaders: { some_request_header: 'SOME_REQUEST_HEADER' }, responseHeaders: { some_response_header: 'SOME_RESPONSE_HEADER' } };
    expect(JSON.parse(f.render(ctx))).toEqual({
      protocol: 'HTTP/1.1',
      some_request_header: 'SOME_REQUEST_HEADER',
      nonexistent_response_header: null,
      some_response_header: 'SOME_RESPONSE_HEADER',
    });
  });

  it('[substitution_formatter_test JsonFormatterAlternateHeaderTest] X?Y in JSON', () => {
    const f = LogFormatter.json({
      a: '%REQ(request_present_header?request_absent_header)%',
      b: '%REQ(request_absent_header?request_present_header)%',
      c: '%RESP(response_absent_header?response_present_header)%',
      d: '%RESP(response_present_header?response_absent_header)%',
    });
    const ctx = { requestHeaders: { request_present_header: 'REQUEST_PRESENT_HEADER' }, responseHeaders: { response_present_header: 'RESPONSE_PRESENT_HEADER' } };
    expect(JSON.parse(f.render(ctx))).toEqual({ a: 'REQUEST_PRESENT_HEADER', b: 'REQUEST_PRESENT_HEADER', c: 'RESPONSE_PRESENT_HEADER', d: 'RESPONSE_PRESENT_HEADER' });
  });

  it('[substitution_formatter_test JsonFormatterMultiTokenTest] several operators make a string', () => {
    const f = LogFormatter.json({ multi_token_field: '%PROTOCOL% plainstring %REQ(some_request_header)% %RESP(some_response_header)%' });
    const ctx = { ...HTTP11, requestHeaders: { some_request_header: 'SOME_REQUEST_HEADER' }, responseHeaders: { some_response_header: 'SOME_RESPONSE_HEADER' } };
    expect(JSON.parse(f.render(ctx))).toEqual({ multi_token_field: 'HTTP/1.1 plainstring SOME_REQUEST_HEADER SOME_RESPONSE_HEADER' });
    expect(JSON.parse(f.render({}))).toEqual({ multi_token_field: '- plainstring - -' });
  });

  it('[substitution_formatter_test JsonFormatterTest] raw bools, numbers, nested lists, quotes, typed duration', () => {
    const f = LogFormatter.json({
      raw_bool_value: true,
      raw_nummber_value: 6,
      nested_list: [14, '3.14', false, 'ok', '%REQ(key_1)%', '%REQ(error)%'],
      request_duration: '%REQUEST_DURATION%',
      nested_level: { plain_string: 'plain_string_value', protocol: '%PROTOCOL%' },
      request_key: '%REQ(key_1)%_@!!!_"_%REQ(key_2)%',
      key: {},
    });
    const ctx: FormatContext = {
      ...HTTP11,
      requestHeaders: { key_1: 'value_1', key_2: 'value_with_quotes_"_' },
      timings: { lastDownstreamRxByteReceived: 5_000_000 },
    };
    expect(JSON.parse(f.render(ctx))).toEqual({
      raw_bool_value: true,
      raw_nummber_value: 6,
      nested_list: [14, '3.14', false, 'ok', 'value_1', null],
      request_duration: 5,
      nested_level: { plain_string: 'plain_string_value', protocol: 'HTTP/1.1' },
      request_key: 'value_1_@!!!_"_value_with_quotes_"_',
      key: {},
    });
  });

  it('[substitution_formatter_test JsonFormatterWithOrderedPropertiesTest] keys sorted, compact, one trailing newline', () => {
    const f = LogFormatter.json({
      request_duration: '%REQUEST_DURATION%',
      bfield: 'valb',
      afield: 'vala',
      nested_level: { plain_string: 'plain_string_value', cfield: 'valc', protocol: '%PROTOCOL%' },
    });
    expect(f.render({ ...HTTP11, timings: { lastDownstreamRxByteReceived: 5_000_000 } })).toBe(
      '{"afield":"vala","bfield":"valb","nested_level":{"cfield":"valc","plain_string":"plain_string_value","protocol":"HTTP/1.1"},"request_duration":5}\n',
    );
  });

  it('[docs Format Dictionaries] "%DURATION%" is a number, "%DURATION%.0" a string', () => {
    const f = LogFormatter.json({ a: '%DURATION%', b: '%DURATION%.0' });
    expect(f.render({ durationNs: 123_000_000 })).toBe('{"a":123,"b":"123.0"}\n');
  });

  it('[docs Command Operators] typed unset is null, an empty string is ""', () => {
    const f = LogFormatter.json({ unset: '%ROUTE_NAME%', empty: '%LOCAL_REPLY_BODY%', code: '%RESPONSE_CODE%' });
    expect(f.render({})).toBe('{"code":0,"empty":"","unset":null}\n');
  });

  it('"%%" in a JSON value is a literal percent sign', () => {
    expect(LogFormatter.json({ p: '100%%' }).render({})).toBe('{"p":"100%"}\n');
  });

  it('rejects values a protobuf Struct cannot hold (ORION_ERR_FORMAT_CONFIG)', () => {
    expect(() => LogFormatter.json({ f: () => 1 } as unknown as Record<string, unknown>)).toThrow(OrionError);
    try {
      LogFormatter.json({ a: { b: 1n } } as unknown as Record<string, unknown>);
    } catch (err) {
      expect(OrionError.is(err, ORION_ERR_FORMAT_CONFIG)).toBe(true);
      expect((err as OrionError).details).toEqual({ path: ['a', 'b'] });
    }
  });
});

describe('omit_empty_values', () => {
  it('[substitution_formatter_test CompositeFormatterEmpty] text: unset values render as nothing', () => {
    const format = '%PROTOCOL%|%RESP(not_exist)%|%REQ(FIRST?SECOND)%%RESP(FIRST?SECOND)%|%TRAILER(THIRD)%|%TRAILER(TEST?TEST-2)%';
    expect(LogFormatter.text(format).render({})).toBe('-|-|--|-|-');
    expect(LogFormatter.text(format, { omitEmptyValues: true }).render({})).toBe('||||');
  });

  it('[substitution_formatter.cc OmitEmptyJsonFormatterImpl] typed JSON drops null keys, empty objects; keeps lists', () => {
    const f = LogFormatter.json(
      {
        present: '%PROTOCOL%',
        missing: '%ROUTE_NAME%',
        multi: '%ROUTE_NAME% x',
        nested: { gone: '%ROUTE_NAME%' },
        kept: { here: '%PROTOCOL%', gone: '%ROUTE_NAME%' },
        list: ['%ROUTE_NAME%', '%PROTOCOL%', null],
        literal_null: null,
        empty_literal: {},
      },
      { omitEmptyValues: true },
    );
    expect(f.render(HTTP11)).toBe('{"kept":{"here":"HTTP/1.1"},"list":["HTTP/1.1"],"multi":" x","present":"HTTP/1.1"}\n');
    expect(LogFormatter.json({ a: '%ROUTE_NAME%' }, { omitEmptyValues: true }).render({})).toBe('{}\n');
  });

  it('untyped JSON with omit_empty_values drops unset single-operator values', () => {
    const f = LogFormatter.json({ a: '%ROUTE_NAME%', b: '%PROTOCOL%', c: '%ROUTE_NAME%-x' }, { jsonMode: 'untyped', omitEmptyValues: true });
    expect(f.render(HTTP11)).toBe('{"b":"HTTP/1.1","c":"-x"}\n');
  });
});

describe('untyped JSON (the deprecated json_format mode)', () => {
  it('[docs Format Dictionaries] every value is a string and unset is "-"', () => {
    const f = LogFormatter.json(
      { protocol: '%PROTOCOL%', duration: '%DURATION%', my_custom_header: '%REQ(MY_CUSTOM_HEADER)%', missing: '%ROUTE_NAME%' },
      { jsonMode: 'untyped' },
    );
    expect(JSON.parse(f.render({ ...HTTP11, durationNs: 123_000_000, requestHeaders: { my_custom_header: 'value_of_MY_CUSTOM_HEADER' } }))).toEqual({
      protocol: 'HTTP/1.1',
      duration: '123',
      my_custom_header: 'value_of_MY_CUSTOM_HEADER',
      missing: '-',
    });
  });

  it('[substitution_formatter_test plainNumberFormatter] number literals print with %g, metadata as JSON text', () => {
    const f = LogFormatter.json({ n: 400, pi: 3.14159265, big: 1e7, b: true, m: '%DYNAMIC_METADATA(ns)%' }, { jsonMode: 'untyped' });
    expect(JSON.parse(f.render({ dynamicMetadata: { ns: { k: 1 } } }))).toEqual({ n: '400', pi: '3.14159', big: '1e+07', b: 'true', m: '{"k":1}' });
  });

  it('typed vs untyped: the same format', () => {
    const format = { code: '%RESPONSE_CODE%', bytes: '%BYTES_SENT%', flags: '%RESPONSE_FLAGS%', host: '%UPSTREAM_HOST%' };
    const ctx: FormatContext = { responseCode: 200, bytesSent: 42 };
    expect(LogFormatter.json(format).render(ctx)).toBe('{"bytes":42,"code":200,"flags":"-","host":null}\n');
    expect(LogFormatter.json(format, { jsonMode: 'untyped' }).render(ctx)).toBe('{"bytes":"42","code":"200","flags":"-","host":"-"}\n');
  });
});
