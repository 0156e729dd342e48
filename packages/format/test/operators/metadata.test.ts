import { describe, expect, it } from 'vitest';
import { LogFormatter, type FilterStateObject, type FormatContext, type Metadata } from '../../src/index.js';
import { text, typed } from '../helpers.js';

// populateMetadataTestData() of substitution_formatter_test.cc:
// "com.test": {"test_key":"test_value","test_obj":{"inner_key":"inner_value"},"test_list":["item0",4.2]}
const METADATA: Metadata = {
  'com.test': { test_key: 'test_value', test_obj: { inner_key: 'inner_value' }, test_list: ['item0', 4.2], test_num: 1234, test_bool: true },
};

describe('DYNAMIC_METADATA, CLUSTER_METADATA, UPSTREAM_METADATA, METADATA', () => {
  const ctx: FormatContext = { dynamicMetadata: METADATA };

  it('[substitution_formatter_test DynamicMetadataFieldExtractor] whole namespace, key, nested key', () => {
    const whole = text('%DYNAMIC_METADATA(com.test)%', ctx);
    expect(whole).toContain('"test_key":"test_value"');
    expect(whole).toContain('"test_obj":{"inner_key":"inner_value"}');
    expect(whole).toContain('"test_list":["item0",4.2]');
    expect(typed('%DYNAMIC_METADATA(com.test)%', ctx)).toEqual(METADATA['com.test']);
    expect(text('%DYNAMIC_METADATA(com.test:test_key)%', ctx)).toBe('test_value');
    expect(text('%DYNAMIC_METADATA(com.test:test_obj)%', ctx)).toBe('{"inner_key":"inner_value"}');
    expect(typed('%DYNAMIC_METADATA(com.test:test_obj)%', ctx)).toEqual({ inner_key: 'inner_value' });
    expect(text('%DYNAMIC_METADATA(com.test:test_obj:inner_key)%', ctx)).toBe('inner_value');
  });

  it('[substitution_formatter_test DynamicMetadataFieldExtractor] not found cases', () => {
    for (const f of ['%DYNAMIC_METADATA(com.notfound)%', '%DYNAMIC_METADATA(com.test:notfound)%', '%DYNAMIC_METADATA(com.test:test_obj:notfound)%']) {
      expect(text(f, ctx)).toBe('-');
      expect(typed(f, ctx)).toBeNull();
    }
  });

  it('[substitution_formatter_test DynamicMetadataFieldExtractor] size limits: strings and text truncate, typed structures keep', () => {
    expect(text('%DYNAMIC_METADATA(com.test:test_key):5%', ctx)).toBe('test_');
    expect(typed('%DYNAMIC_METADATA(com.test:test_key):5%', ctx)).toBe('test_');
    expect(typed('%DYNAMIC_METADATA(com.test:test_obj):5%', ctx)).toEqual({ inner_key: 'inner_value' });
    expect(typed('%DYNAMIC_METADATA(com.test:test_list):5%', ctx)).toEqual(['item0', 4.2]);
    expect(text('%DYNAMIC_METADATA(com.test:test_list):5%', ctx)).toBe('["ite');
    expect(text('%DYNAMIC_METADATA(com.test):5%', ctx)).toBe('{"tes');
    expect(typed('%DYNAMIC_METADATA(com.test:test_num):2%', ctx)).toBe(1234);
    expect(text('%DYNAMIC_METADATA(com.test:test_num):2%', ctx)).toBe('12');
    expect(text('%DYNAMIC_METADATA(com.test:test_bool)%', ctx)).toBe('true');
    expect(typed('%DYNAMIC_METADATA(com.test:test_bool):2%', ctx)).toBe(true);
    expect(text('%DYNAMIC_METADATA(com.test:test_bool):2%', ctx)).toBe('tr');
  });

  it('[substitution_formatter_test DynamicMetadataFieldExtractor] NaN renders null, infinity inf', () => {
    expect(text('%DYNAMIC_METADATA(m:nan_val)%', { dynamicMetadata: { m: { nan_val: Number.NaN } } })).toBe('null');
    expect(text('%DYNAMIC_METADATA(m:inf_val)%', { dynamicMetadata: { m: { inf_val: Number.POSITIVE_INFINITY } } })).toBe('inf');
  });

  it('[substitution_formatter_test JsonFormatterDynamicMetadataTest] typed JSON with truncation and multi-token values', () => {
    const f = LogFormatter.json({
      test_key: '%DYNAMIC_METADATA(com.test:test_key):8%',
      test_key2: '%DYNAMIC_METADATA(com.test:test_key):5%%DYNAMIC_METADATA(com.test:test_key):8%',
      test_obj: '%DYNAMIC_METADATA(com.test:test_obj)%',
      'test_obj.inner_key': '%DYNAMIC_METADATA(com.test:test_obj:inner_key)%',
    });
    expect(JSON.parse(f.render(ctx))).toEqual({
      test_key: 'test_val',
      test_key2: 'test_test_val',
      test_obj: { inner_key: 'inner_value' },
      'test_obj.inner_key': 'inner_value',
    });
  });

  it('[substitution_formatter_test JsonFormatterClusterMetadataTest / UpstreamHostMetadataTest] and missing sources', () => {
    const json = {
      test_key: '%CLUSTER_METADATA(com.test:test_key)%',
      test_obj: '%UPSTREAM_METADATA(com.test:test_obj)%',
      'test_obj.non_existing_key': '%UPSTREAM_METADATA(com.test:test_obj:non_existing_key)%',
    };
    expect(JSON.parse(LogFormatter.json(json).render({ clusterMetadata: METADATA, upstreamHostMetadata: METADATA }))).toEqual({
      test_key: 'test_value',
      test_obj: { inner_key: 'inner_value' },
      'test_obj.non_existing_key': null,
    });
    expect(JSON.parse(LogFormatter.json(json).render({}))).toEqual({ test_key: null, test_obj: null, 'test_obj.non_existing_key': null });
  });

  it('[docs METADATA(TYPE:NAMESPACE:KEY*):Z] every metadata type', () => {
    const m: Metadata = { 'com.test.my_filter': { test_key: 'foo', test_object: { inner_key: 'bar' } } };
    const sources = {
      DYNAMIC: { dynamicMetadata: m },
      CLUSTER: { clusterMetadata: m },
      ROUTE: { routeMetadata: m },
      UPSTREAM_HOST: { upstreamHostMetadata: m },
      LISTENER: { listenerMetadata: m },
      LISTENER_FILTER_CHAIN: { listenerFilterChainMetadata: m },
      VIRTUAL_HOST: { virtualHostMetadata: m },
    };
    for (const [type, c] of Object.entries(sources)) {
      expect(text(`%METADATA(${type}:com.test.my_filter:test_key)%`, c)).toBe('foo');
      expect(text(`%METADATA(${type}:com.test.my_filter:test_object:inner_key)%`, c)).toBe('bar');
      expect(text(`%METADATA(${type}:com.unknown_filter)%`, c)).toBe('-');
    }
    expect(text('%METADATA(ROUTE:com.test.my_filter):25%', sources.ROUTE)).toBe('{"test_key":"foo","test_o');
  });

  it('[substitution_formatter_test CompositeFormatterSuccess / CompositeFormatterEmpty] metadata in text, with omit_empty_values', () => {
    const format = '%DYNAMIC_METADATA(com.test:test_key)%|%DYNAMIC_METADATA(com.test:test_obj)%|%DYNAMIC_METADATA(com.test:test_obj:inner_key)%';
    expect(text(format, ctx)).toBe('test_value|{"inner_key":"inner_value"}|inner_value');
    expect(text(format, { dynamicMetadata: {} })).toBe('-|-|-');
    expect(text(format, { dynamicMetadata: {} }, { omitEmptyValues: true })).toBe('||');
  });
});

describe('FILTER_STATE and UPSTREAM_FILTER_STATE', () => {
  class StringAccessor implements FilterStateObject {
    constructor(private readonly v: string) {}
    serializeAsString(): string {
      return this.v;
    }
    serializeAsJson(): string {
      return this.v;
    }
  }
  class TestSerializedStringFilterState implements FilterStateObject {
    serializeAsString(): string {
      return 'test_value By PLAIN';
    }
    serializeAsJson(): string {
      return 'test_value By TYPED';
    }
    getField(name: string): string | number | undefined {
      return name === 'test_field' ? 'test_value' : name === 'test_num' ? 137 : undefined;
    }
  }
  const state: FormatContext = {
    filterState: {
      key: new StringAccessor('test_value'),
      'key-struct': { serializeAsJson: () => ({ inner_key: 'inner_value' }) },
      'key-no-serialization': { getField: () => undefined },
      test_key: new TestSerializedStringFilterState(),
    },
  };

  it('[substitution_formatter_test FilterStateFormatter] TYPED (default): JSON text, typed value', () => {
    expect(text('%FILTER_STATE(key)%', state)).toBe('"test_value"');
    expect(typed('%FILTER_STATE(key)%', state)).toBe('test_value');
    expect(text('%FILTER_STATE(key-struct)%', state)).toBe('{"inner_key":"inner_value"}');
    expect(typed('%FILTER_STATE(key-struct)%', state)).toEqual({ inner_key: 'inner_value' });
  });

  it('[substitution_formatter_test FilterStateFormatter] not found and no serialization are unset', () => {
    expect(text('%FILTER_STATE(key-not-found)%', state)).toBe('-');
    expect(typed('%FILTER_STATE(key-not-found)%', state)).toBeNull();
    expect(text('%FILTER_STATE(key-no-serialization)%', state)).toBe('-');
    expect(typed('%FILTER_STATE(key-no-serialization:PLAIN)%', state)).toBeNull();
  });

  it('[substitution_formatter_test FilterStateFormatter] size limit truncates text, not the typed value', () => {
    expect(text('%FILTER_STATE(key):5%', state)).toBe('"test');
    expect(typed('%FILTER_STATE(key):5%', state)).toBe('test_value');
    expect(text('%FILTER_STATE(test_key:PLAIN):10%', state)).toBe('test_value');
  });

  it('[substitution_formatter_test FilterStateSpeciferTest] PLAIN, TYPED and FIELD, downstream and upstream', () => {
    const ctx: FormatContext = { ...state, upstreamFilterState: state.filterState };
    const out = JSON.parse(
      LogFormatter.json({
        test_key_plain: '%FILTER_STATE(test_key:PLAIN)%',
        test_key_typed: '%FILTER_STATE(test_key:TYPED)%',
        test_key_field: '%FILTER_STATE(test_key:FIELD:test_field)%',
        upstream_test_key_plain: '%UPSTREAM_FILTER_STATE(test_key:PLAIN)%',
        upstream_test_key_typed: '%UPSTREAM_FILTER_STATE(test_key:TYPED)%',
        upstream_test_key_field: '%UPSTREAM_FILTER_STATE(test_key:FIELD:test_field)%',
      }).render(ctx),
    );
    expect(out).toEqual({
      test_key_plain: 'test_value By PLAIN',
      test_key_typed: 'test_value By TYPED',
      test_key_field: 'test_value',
      upstream_test_key_plain: 'test_value By PLAIN',
      upstream_test_key_typed: 'test_value By TYPED',
      upstream_test_key_field: 'test_value',
    });
  });

  it('[substitution_formatter_test FilterStateFormatter] FIELD: numbers as strings, missing fields unset, truncation', () => {
    expect(typed('%FILTER_STATE(test_key:FIELD:test_num)%', state)).toBe('137');
    expect(text('%FILTER_STATE(test_wrong_key:FIELD:test_field)%', state)).toBe('-');
    expect(text('%FILTER_STATE(test_key:FIELD:test_wrong_field)%', state)).toBe('-');
    expect(text('%FILTER_STATE(test_key:FIELD:test_field):5%', state)).toBe('test_');
  });

  it('[substitution_formatter_test CompositeFormatterEmpty] filter state absent, with and without omit_empty_values', () => {
    const format = '%FILTER_STATE(testing)%|%FILTER_STATE(serialized)%|%FILTER_STATE(testing):8%|%FILTER_STATE(nonexisting)%';
    expect(text(format, {})).toBe('-|-|-|-');
    expect(text(format, {}, { omitEmptyValues: true })).toBe('|||');
  });

  it('plain JSON values and a getFilterState lookup work as filter state', () => {
    const ctx: FormatContext = { getFilterState: (key) => (key === 'k' ? { a: 1, b: 'x' } : undefined) };
    expect(text('%FILTER_STATE(k)%', ctx)).toBe('{"a":1,"b":"x"}');
    expect(text('%FILTER_STATE(k:FIELD:b)%', ctx)).toBe('x');
    expect(text('%FILTER_STATE(s:PLAIN)%', { filterState: { s: 'plain' } })).toBe('plain');
  });
});

describe('COALESCE', () => {
  it('[substitution_formatter_test CoalesceFormatterBasic] first value; REQ with a param', () => {
    expect(text('%COALESCE({"operators": ["PROTOCOL"]})%', { protocol: 'HTTP/1.1' })).toBe('HTTP/1.1');
    expect(text('%COALESCE({"operators": [{"command": "REQ", "param": ":authority"}]})%', { requestHeaders: { ':authority': 'example.com' } })).toBe(
      'example.com',
    );
  });

  it('[substitution_formatter_test CoalesceFormatterGridTest] SNI → :authority → x-envoy-original-host', () => {
    const format =
      '%COALESCE({"operators": ["REQUESTED_SERVER_NAME", {"command": "REQ", "param": ":authority"}, {"command": "REQ", "param": "x-envoy-original-host"}]})%';
    const run = (sni: string, authority?: string, original?: string) =>
      text(format, {
        requestedServerName: sni,
        requestHeaders: { ...(authority ? { ':authority': authority } : {}), ...(original ? { 'x-envoy-original-host': original } : {}) },
      });
    expect(run('sni.example.com', 'authority.example.com', 'original.example.com')).toBe('sni.example.com');
    expect(run('', 'authority.example.com', 'original.example.com')).toBe('authority.example.com');
    expect(run('', undefined, 'original.example.com')).toBe('original.example.com');
    expect(run('')).toBe('-');
  });

  it('[substitution_formatter_test CoalesceFormatterMaxLength] command-level and operator-level max_length', () => {
    const ctx = { requestHeaders: { ':authority': 'very-long-hostname.example.com' } };
    expect(text('%COALESCE({"operators": [{"command": "REQ", "param": ":authority"}]}):10%', ctx)).toBe('very-long-');
    expect(text('%COALESCE({"operators": [{"command": "REQ", "param": ":authority", "max_length": 5}]})%', ctx)).toBe('very-');
  });

  it('[substitution_formatter_test CoalesceFormatterEmptyValues] a present but empty value is accepted', () => {
    const ctx = { requestHeaders: { ':authority': '', 'x-envoy-original-host': 'original.example.com' } };
    const format = '%COALESCE({"operators": [{"command": "REQ", "param": ":authority"}, {"command": "REQ", "param": "x-envoy-original-host"}]})%';
    expect(text(`[${format}]`, ctx)).toBe('[]');
    expect(typed(format, ctx)).toBe('');
  });

  it('[substitution_formatter_test CoalesceFormatterFormatValue] typed values, truncation of strings only', () => {
    expect(typed('%COALESCE({"operators": ["PROTOCOL"]})%', { protocol: 'HTTP/1.1' })).toBe('HTTP/1.1');
    expect(typed('%COALESCE({"operators": ["REQUESTED_SERVER_NAME", {"command": "REQ", "param": ":authority"}]})%', {})).toBeNull();
    expect(typed('%COALESCE({"operators": ["PROTOCOL"]}):4%', { protocol: 'HTTP/1.1' })).toBe('HTTP');
    expect(typed('%COALESCE({"operators": ["PROTOCOL"]}):100%', { protocol: 'HTTP/1.1' })).toBe('HTTP/1.1');
    expect(typed('%COALESCE({"operators": ["RESPONSE_CODE"]}):1%', { responseCode: 503 })).toBe(503);
    expect(typed('%COALESCE({"operators": ["REQUESTED_SERVER_NAME", "PROTOCOL"]})%', { requestedServerName: '', protocol: 'HTTP/1.1' })).toBe('HTTP/1.1');
  });

  it('[substitution_formatter_test CoalesceFormatterWithOtherCommands] next to other operators', () => {
    expect(
      text('protocol=%PROTOCOL% host=%COALESCE({"operators": ["REQUESTED_SERVER_NAME", {"command": "REQ", "param": ":authority"}]})%', {
        protocol: 'HTTP/1.1',
        requestedServerName: 'sni.example.com',
        requestHeaders: { ':authority': 'host.example.com' },
      }),
    ).toBe('protocol=HTTP/1.1 host=sni.example.com');
  });
});
