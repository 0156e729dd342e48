import { OrionError } from '@orion/error';
import { describe, expect, it } from 'vitest';
import { DEFAULT_TAG_DESCRIPTORS, createDefaultExtractor } from '../src/default-tag-extractors.js';
import { ORION_ERR_METRICS_INVALID_TAG_SPECIFIER } from '../src/error-codes.js';
import { TokensTagExtractor, TagExtractionContext, extractRegexPrefix, removeCharacters, type Removals, type Tag } from '../src/tag-extractor.js';
import { TAG_NAMES as T } from '../src/tag-names.js';
import { createTagProducer, defaultTagProducer } from '../src/tag-producer.js';

const sortTags = (tags: readonly Tag[]): Tag[] => [...tags].sort((a, b) => (a.name + a.value < b.name + b.value ? -1 : 1));

/** Envoy's `DefaultTagRegexTester::testRegex`: the extracted name and the tags (in any order). */
function expectTags(name: string, extracted: string, tags: Record<string, string>): void {
  const result = defaultTagProducer().produceTags(name);
  expect(result.tagExtractedName, name).toBe(extracted);
  expect(sortTags(result.tags), name).toEqual(sortTags(Object.entries(tags).map(([n, value]) => ({ name: n, value }))));
}

// Cases from Envoy's test/common/stats/tag_extractor_impl_test.cc (`DefaultTagExtractors`, `ExtAuthzTagExtractors`).
describe('default tag extraction', () => {
  it('extracts cluster names', () => {
    expectTags('cluster.ratelimit.upstream_rq_timeout', 'cluster.upstream_rq_timeout', { [T.CLUSTER_NAME]: 'ratelimit' });
    expectTags('cluster.ratelimit.ssl.ciphers.ECDHE-RSA-AES128-GCM-SHA256', 'cluster.ssl.ciphers', {
      [T.CLUSTER_NAME]: 'ratelimit',
      [T.SSL_CIPHER_SUITE]: 'ECDHE-RSA-AES128-GCM-SHA256',
    });
  });

  it('extracts listener addresses (IPv4, IPv6, stat prefixes) and ciphers, but not the admin listener', () => {
    const cipher = { [T.SSL_CIPHER]: 'AES256-SHA' };
    expectTags('listener.[__1]_0.ssl.ciphers.AES256-SHA', 'listener.ssl.ciphers', { [T.LISTENER_ADDRESS]: '[__1]_0', ...cipher });
    expectTags('listener.[2001_0db8_85a3_0000_0000_8a2e_0370_7334]_3543.ssl.ciphers.AES256-SHA', 'listener.ssl.ciphers', {
      [T.LISTENER_ADDRESS]: '[2001_0db8_85a3_0000_0000_8a2e_0370_7334]_3543',
      ...cipher,
    });
    expectTags('listener.127.0.0.1_0.ssl.ciphers.AES256-SHA', 'listener.ssl.ciphers', { [T.LISTENER_ADDRESS]: '127.0.0.1_0', ...cipher });
    expectTags('listener.my_prefix.ssl.ciphers.AES256-SHA', 'listener.ssl.ciphers', { [T.LISTENER_ADDRESS]: 'my_prefix', ...cipher });
    expectTags('listener.prefix.notmatching.ssl.ciphers.AES256-SHA', 'listener.notmatching.ssl.ciphers', {
      [T.LISTENER_ADDRESS]: 'prefix',
      ...cipher,
    });
    expectTags('listener.admin.ssl.ciphers.AES256-SHA', 'listener.admin.ssl.ciphers', cipher);
  });

  it('extracts mongo, rate limit and local rate limit prefixes', () => {
    const mongo = { [T.MONGO_PREFIX]: 'mongo_filter' };
    expectTags('mongo.mongo_filter.op_reply', 'mongo.op_reply', mongo);
    expectTags('mongo.mongo_filter.cmd.foo_cmd.reply_size', 'mongo.cmd.reply_size', { ...mongo, [T.MONGO_CMD]: 'foo_cmd' });
    expectTags('mongo.mongo_filter.collection.bar_collection.query.multi_get', 'mongo.collection.query.multi_get', {
      ...mongo,
      [T.MONGO_COLLECTION]: 'bar_collection',
    });
    expectTags('mongo.mongo_filter.collection.bar_collection.callsite.baz_callsite.query.scatter_get', 'mongo.collection.callsite.query.scatter_get', {
      ...mongo,
      [T.MONGO_COLLECTION]: 'bar_collection',
      [T.MONGO_CALLSITE]: 'baz_callsite',
    });
    expectTags('ratelimit.foo_ratelimiter.over_limit', 'ratelimit.over_limit', { [T.RATELIMIT_PREFIX]: 'foo_ratelimiter' });
    expectTags('foo_ratelimiter.http_local_rate_limit.ok', 'http_local_rate_limit.ok', { [T.LOCAL_HTTP_RATELIMIT_PREFIX]: 'foo_ratelimiter' });
    expectTags('local_rate_limit.foo_ratelimiter.rate_limited', 'local_rate_limit.rate_limited', {
      [T.LOCAL_NETWORK_RATELIMIT_PREFIX]: 'foo_ratelimiter',
    });
  });

  it('extracts HTTP connection manager prefixes and DynamoDB tags', () => {
    const hcm = { [T.HTTP_CONN_MANAGER_PREFIX]: 'egress_dynamodb_iad' };
    expectTags('http.egress_dynamodb_iad.downstream_cx_total', 'http.downstream_cx_total', hcm);
    expectTags('http.egress_dynamodb_iad.dynamodb.operation.Query.upstream_rq_time', 'http.dynamodb.operation.upstream_rq_time', {
      ...hcm,
      [T.DYNAMO_OPERATION]: 'Query',
    });
    expectTags('http.egress_dynamodb_iad.dynamodb.table.bar_table.upstream_rq_time', 'http.dynamodb.table.upstream_rq_time', {
      ...hcm,
      [T.DYNAMO_TABLE]: 'bar_table',
    });
    expectTags('http.egress_dynamodb_iad.dynamodb.table.bar_table.capacity.Query.__partition_id=ABC1234', 'http.dynamodb.table.capacity', {
      ...hcm,
      [T.DYNAMO_TABLE]: 'bar_table',
      [T.DYNAMO_OPERATION]: 'Query',
      [T.DYNAMO_PARTITION_ID]: 'ABC1234',
    });
    expectTags('http.egress_dynamodb_iad.user_agent.ios.downstream_cx_total', 'http.user_agent.downstream_cx_total', {
      ...hcm,
      [T.HTTP_USER_AGENT]: 'ios',
    });
  });

  it('extracts gRPC bridge, virtual host, virtual cluster and response code tags', () => {
    expectTags('cluster.grpc_cluster.grpc.grpc_service_1.grpc_method_1.success', 'cluster.grpc.success', {
      [T.CLUSTER_NAME]: 'grpc_cluster',
      [T.GRPC_BRIDGE_SERVICE]: 'grpc_service_1',
      [T.GRPC_BRIDGE_METHOD]: 'grpc_method_1',
    });
    const vhost = { [T.VIRTUAL_HOST]: 'vhost_1', [T.VIRTUAL_CLUSTER]: 'vcluster_1' };
    expectTags('vhost.vhost_1.vcluster.vcluster_1.upstream_rq_2xx', 'vhost.vcluster.upstream_rq_xx', { ...vhost, [T.RESPONSE_CODE_CLASS]: '2' });
    expectTags('vhost.vhost_1.vcluster.vcluster_1.upstream_rq_200', 'vhost.vcluster.upstream_rq', { ...vhost, [T.RESPONSE_CODE]: '200' });
    expectTags('listener.127.0.0.1_3012.http.http_prefix.downstream_rq_5xx', 'listener.http.downstream_rq_xx', {
      [T.HTTP_CONN_MANAGER_PREFIX]: 'http_prefix',
      [T.LISTENER_ADDRESS]: '127.0.0.1_3012',
      [T.RESPONSE_CODE_CLASS]: '5',
    });
  });

  it('extracts client SSL, TCP, UDP, fault, RDS and worker tags', () => {
    expectTags('auth.clientssl.clientssl_prefix.auth_ip_allowlist', 'auth.clientssl.auth_ip_allowlist', { [T.CLIENTSSL_PREFIX]: 'clientssl_prefix' });
    expectTags('tcp.tcp_prefix.downstream_flow_control_resumed_reading_total', 'tcp.downstream_flow_control_resumed_reading_total', {
      [T.TCP_PREFIX]: 'tcp_prefix',
    });
    expectTags('udp.udp_prefix.downstream_flow_control_resumed_reading_total', 'udp.downstream_flow_control_resumed_reading_total', {
      [T.UDP_PREFIX]: 'udp_prefix',
    });
    expectTags('http.fault_connection_manager.fault.fault_cluster.aborts_injected', 'http.fault.aborts_injected', {
      [T.HTTP_CONN_MANAGER_PREFIX]: 'fault_connection_manager',
      [T.FAULT_DOWNSTREAM_CLUSTER]: 'fault_cluster',
    });
    expectTags('http.rds_connection_manager.rds.agg/route_config.1-23.update_success', 'http.rds.update_success', {
      [T.HTTP_CONN_MANAGER_PREFIX]: 'rds_connection_manager',
      [T.RDS_ROUTE_CONFIG]: 'agg/route_config.1-23',
    });
    expectTags('http.scoped_rds_connection_manager.scoped_rds.scoped_route_config.123.update_success', 'http.scoped_rds.update_success', {
      [T.HTTP_CONN_MANAGER_PREFIX]: 'scoped_rds_connection_manager',
      [T.SCOPED_RDS_CONFIG]: 'scoped_route_config.123',
    });
    expectTags('listener_manager.worker_123.dispatcher.loop_duration_us', 'listener_manager.worker_dispatcher.loop_duration_us', {
      [T.WORKER_ID]: '123',
    });
    expectTags('listener.127.0.0.1_3012.worker_123.downstream_cx_active', 'listener.worker_downstream_cx_active', {
      [T.LISTENER_ADDRESS]: '127.0.0.1_3012',
      [T.WORKER_ID]: '123',
    });
    expectTags('listener.myprefix.worker_123.downstream_cx_active', 'listener.worker_downstream_cx_active', {
      [T.LISTENER_ADDRESS]: 'myprefix',
      [T.WORKER_ID]: '123',
    });
    expectTags('server.worker_123.watchdog_miss', 'server.worker_watchdog_miss', { [T.WORKER_ID]: '123' });
  });

  it('extracts thrift, redis, DNS, connection limit, RBAC, proxy protocol and ext_authz prefixes', () => {
    expectTags('thrift.thrift_prefix.response', 'thrift.response', { [T.THRIFT_PREFIX]: 'thrift_prefix' });
    expectTags('redis.my_redis_prefix.response', 'redis.response', { [T.REDIS_PREFIX]: 'my_redis_prefix' });
    expectTags('dns_filter.my_dns_prefix.local_a_record_answers', 'dns_filter.local_a_record_answers', { [T.DNS_FILTER_PREFIX]: 'my_dns_prefix' });
    expectTags('connection_limit.my_connection_limit_prefix.limited_connections', 'connection_limit.limited_connections', {
      [T.CONNECTION_LIMIT_PREFIX]: 'my_connection_limit_prefix',
    });
    expectTags('my_rbac_prefix.rbac.allowed', 'rbac.allowed', { [T.RBAC_PREFIX]: 'my_rbac_prefix' });
    const hcm = { [T.HTTP_CONN_MANAGER_PREFIX]: 'hcm_prefix' };
    expectTags('http.hcm_prefix.rbac.prefix.allowed', 'http.rbac.allowed', { ...hcm, [T.RBAC_HTTP_PREFIX]: 'prefix' });
    expectTags('http.hcm_prefix.rbac.policy.my_rbac_policy.allowed', 'http.rbac.policy.allowed', { ...hcm, [T.RBAC_POLICY_NAME]: 'my_rbac_policy' });
    expectTags('http.hcm_prefix.rbac.policy.my_rbac_policy.denied', 'http.rbac.policy.denied', { ...hcm, [T.RBAC_POLICY_NAME]: 'my_rbac_policy' });
    expectTags('http.hcm_prefix.rbac.prefix.policy.my_rbac_policy.shadow_allowed', 'http.rbac.policy.shadow_allowed', {
      ...hcm,
      [T.RBAC_HTTP_PREFIX]: 'prefix',
      [T.RBAC_POLICY_NAME]: 'my_rbac_policy',
    });
    expectTags('proxy_proto.not_found_disallowed', 'proxy_proto.not_found_disallowed', {});
    expectTags('proxy_proto.test_stat_prefix.not_found_disallowed', 'proxy_proto.not_found_disallowed', {
      [T.PROXY_PROTOCOL_PREFIX]: 'test_stat_prefix',
    });
    expectTags('proxy_proto.versions.v2.error', 'proxy_proto.error', { [T.PROXY_PROTOCOL_VERSION]: '2' });
    expectTags('proxy_proto.test_stat_prefix.versions.v2.error', 'proxy_proto.error', {
      [T.PROXY_PROTOCOL_PREFIX]: 'test_stat_prefix',
      [T.PROXY_PROTOCOL_VERSION]: '2',
    });
    expectTags('http.http_prefix.ext_authz.authpfx.denied', 'http.ext_authz.denied', {
      [T.HTTP_CONN_MANAGER_PREFIX]: 'http_prefix',
      [T.EXT_AUTHZ_PREFIX]: 'authpfx',
    });
    expectTags('cluster.grpc_cluster.ext_authz.authpfx.ok', 'cluster.ext_authz.ok', { [T.CLUSTER_NAME]: 'grpc_cluster', [T.EXT_AUTHZ_PREFIX]: 'authpfx' });
  });

  it('extracts the tags Orion proxies emit', () => {
    // As in Envoy, only the first token is taken as the cluster name: dotted names keep the rest in the name.
    expectTags('cluster.outbound|9080||reviews.default.svc.cluster.local.upstream_rq_503', 'cluster.default.svc.cluster.local.upstream_rq', {
      [T.CLUSTER_NAME]: 'outbound|9080||reviews',
      [T.RESPONSE_CODE]: '503',
    });
    expectTags('http.ingress_http.downstream_rq_total', 'http.downstream_rq_total', { [T.HTTP_CONN_MANAGER_PREFIX]: 'ingress_http' });
    expectTags('vhost.backend.route.api.upstream_rq_completed', 'vhost.route.upstream_rq_completed', {
      [T.VIRTUAL_HOST]: 'backend',
      [T.ROUTE]: 'api',
    });
    expectTags('server.live', 'server.live', {});
  });

  it('does not depend on the order extractors run in', () => {
    const names = [
      'listener.127.0.0.1_3012.http.http_prefix.downstream_rq_5xx',
      'http.hcm_prefix.rbac.prefix.policy.my_rbac_policy.shadow_allowed',
      'http.egress_dynamodb_iad.dynamodb.table.bar_table.capacity.Query.__partition_id=ABC1234',
      'cluster.grpc_cluster.grpc.grpc_service_1.grpc_method_1.success',
      'proxy_proto.test_stat_prefix.versions.v2.error',
    ];
    const producer = defaultTagProducer();
    const reversed = [...DEFAULT_TAG_DESCRIPTORS].reverse();
    for (const name of names) {
      const expected = producer.produceTags(name);
      // Rerun every extractor whose prefix fits, last first, as Envoy's produceTagsReverse test does.
      const context = new TagExtractionContext(name);
      const tags: Tag[] = [];
      const removals: Removals = [];
      const found = new Set<string>();
      for (const descriptor of reversed) {
        const extractor = createDefaultExtractor(descriptor);
        if (extractor.prefixToken !== '' && !name.startsWith(`${extractor.prefixToken}.`)) continue;
        if (found.has(extractor.name) && DEFAULT_TAG_DESCRIPTORS.filter((d) => d.name === extractor.name).length > 1) continue;
        if (extractor.extractTag(context, tags, removals)) found.add(extractor.name);
      }
      expect(removeCharacters(name, removals)).toBe(expected.tagExtractedName);
      expect(sortTags(tags)).toEqual(sortTags(expected.tags));
    }
  });
});


describe('TokensTagExtractor', () => {
  // Envoy's TagExtractorTokensTest cases.
  function extract(pattern: string, name: string): { tags: Tag[]; extracted: string } | undefined {
    const extractor = new TokensTagExtractor('t', pattern);
    const tags: Tag[] = [];
    const removals: Removals = [];
    if (!extractor.extractTag(new TagExtractionContext(name), tags, removals)) return undefined;
    return { tags, extracted: removeCharacters(name, removals) };
  }

  it('knows its prefix token', () => {
    expect(new TokensTagExtractor('n', 'prefix.foo.$').prefixToken).toBe('prefix');
    expect(new TokensTagExtractor('n', 'prefix.$.*').prefixToken).toBe('prefix');
    for (const p of ['*.foo.$', '**.foo.$', '$.foo.$', '*.$', '**.$', '$']) expect(new TokensTagExtractor('n', p).prefixToken).toBe('');
  });

  it('matches at the start, middle and end, with * and ** wildcards', () => {
    expect(extract('$.is.the.time', 'now.is.the.time')).toEqual({ tags: [{ name: 't', value: 'now' }], extracted: 'is.the.time' });
    expect(extract('$.is.the.*', 'now.is.the.time')?.extracted).toBe('is.the.time');
    expect(extract('$.is.the.**', 'now.is.the.time.to.come.to.the.aid')?.extracted).toBe('is.the.time.to.come.to.the.aid');
    expect(extract('$.is.the.*', 'now.is.the.time.to.come.to.the.aid')).toBeUndefined();
    expect(extract('$.**.aid', 'now.is.the.time.to.come.to.the.aid')?.extracted).toBe('is.the.time.to.come.to.the.aid');
    expect(extract('$.**.aid.of.their', 'now.is.the.time.to.come.to.the.aid.backtrack.now.aid.of.their')?.tags).toEqual([{ name: 't', value: 'now' }]);
    expect(extract('now.**.$.of.their', 'now.is.the.time.to.come.to.the.aid.fake.aid.real.of.their')).toEqual({
      tags: [{ name: 't', value: 'real' }],
      extracted: 'now.is.the.time.to.come.to.the.aid.fake.aid.of.their',
    });
    expect(extract('now.**.aid.$.of.their', 'now.is.the.time.to.come.to.the.aid.fake.aid.real.of.their')?.extracted).toBe(
      'now.is.the.time.to.come.to.the.aid.fake.aid.of.their',
    );
    expect(extract('now.is.$.time', 'now.is.the.time')).toEqual({ tags: [{ name: 't', value: 'the' }], extracted: 'now.is.time' });
    expect(extract('now.*.$.time', 'now.is.the.time')?.extracted).toBe('now.is.time');
    expect(extract('now.is.the.$', 'now.is.the.time')).toEqual({ tags: [{ name: 't', value: 'time' }], extracted: 'now.is.the' });
  });

  it('does not match a different or differently long name', () => {
    expect(extract('now.is.$.time', 'now.was.the.time')).toBeUndefined();
    expect(extract('now.$.the', 'now.is.the.time')).toBeUndefined();
    expect(extract('now.$.the.time.to', 'now.is.the.time')).toBeUndefined();
  });
});

describe('extractRegexPrefix', () => {
  it('finds the literal first token of an anchored regex, as Envoy does', () => {
    expect(extractRegexPrefix('^prefix(foo).')).toBe('');
    expect(extractRegexPrefix('^prefix\\.foo')).toBe('prefix');
    expect(extractRegexPrefix('^prefix_optional(?=\\.)')).toBe('prefix_optional');
    expect(extractRegexPrefix('^notACompleteToken')).toBe('');
    expect(extractRegexPrefix('^onlyToken$')).toBe('onlyToken');
    expect(extractRegexPrefix('(prefix)')).toBe('');
    expect(extractRegexPrefix('^(prefix)')).toBe('');
    expect(extractRegexPrefix('prefix(foo)')).toBe('');
  });
});

describe('createTagProducer', () => {
  it('adds stats_tags after the defaults: custom regexes (std::regex rules) and fixed values', () => {
    const producer = createTagProducer({
      statsTags: [
        { tagName: 'cluster_name', regex: '^cluster\\.((.+?)\\.)' },
        { tagName: 'mesh', fixedValue: 'orion' },
      ],
    });
    const { tagExtractedName, tags } = producer.produceTags('cluster.test_cluster.upstream_cx_total');
    expect(tagExtractedName).toBe('cluster.upstream_cx_total');
    expect(sortTags(tags)).toEqual(
      sortTags([
        { name: T.CLUSTER_NAME, value: 'test_cluster' },
        { name: 'cluster_name', value: 'test_cluster' },
        { name: 'mesh', value: 'orion' },
      ]),
    );
  });

  it('takes a single subexpression as both what is removed and the value (Envoy SingleSubexpression)', () => {
    const producer = createTagProducer({ useAllDefaultTags: false, statsTags: [{ tagName: 'listner_port', regex: '^listener\\.(\\d+?\\.)' }] });
    expect(producer.produceTags('listener.80.downstream_cx_total')).toEqual({
      tagExtractedName: 'listener.downstream_cx_total',
      tags: [{ name: 'listner_port', value: '80.' }],
    });
  });

  it('selects default extractors by name for a specifier without regex, and only those when defaults are off', () => {
    const producer = createTagProducer({ useAllDefaultTags: false, statsTags: [{ tagName: T.HTTP_CONN_MANAGER_PREFIX }] });
    expect(producer.produceTags('http.ingress.downstream_rq_2xx')).toEqual({
      tagExtractedName: 'http.downstream_rq_2xx',
      tags: [{ name: T.HTTP_CONN_MANAGER_PREFIX, value: 'ingress' }],
    });
  });

  it('refuses empty tag names, bad regexes and unknown default names', () => {
    for (const statsTags of [[{ tagName: '', regex: 'x' }], [{ tagName: 'a', regex: '+invalid' }], [{ tagName: 'no such default tag' }]]) {
      try {
        createTagProducer({ statsTags });
        expect.unreachable();
      } catch (err) {
        expect(err).toBeInstanceOf(OrionError);
        expect((err as OrionError).code).toBe(ORION_ERR_METRICS_INVALID_TAG_SPECIFIER);
      }
    }
  });

  it('returns the same result object for a name it has seen', () => {
    const producer = createTagProducer();
    expect(producer.produceTags('cluster.a.upstream_rq_total')).toBe(producer.produceTags('cluster.a.upstream_rq_total'));
  });
});
