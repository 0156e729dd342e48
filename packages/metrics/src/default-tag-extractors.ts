import { RegexTagExtractor, TokensTagExtractor, type TagExtractor } from './tag-extractor.js';
import { TAG_NAMES as T } from './tag-names.js';

/** A default tag extractor as Envoy declares it (`Config::TagNameValues`): an RE2 regex or a token pattern. */
export type DefaultTagDescriptor =
  | { readonly type: 'regex'; readonly name: string; readonly regex: string; readonly substr: string; readonly negativeMatch: string }
  | { readonly type: 'tokens'; readonly name: string; readonly pattern: string };

// Substitutions Envoy makes in its default regexes (`expandRegex` in well_known_names.cc).
const EXPANSIONS: readonly (readonly [string, string])[] = [
  // An IPv4 address or a bracketed IPv6 address with `:` turned into `_`, then `_port`.
  ['<ADDRESS>', String.raw`(?:(?:\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}|\[[a-fA-F_\d]+\])_\d+)`],
  ['<CIPHER>', String.raw`[\w-]+`],
  ['<TLS_VERSION>', String.raw`TLSv\d\.\d`],
  ['<TAG_VALUE>', String.raw`[^\.]+`],
  // Route configuration names may contain dots and slashes.
  ['<ROUTE_CONFIG_NAME>', String.raw`[\w./-]+`],
  ['<LISTENER_OR_CLUSTER_WITH_NAME>', String.raw`(?:listener|cluster)\..*?`],
];

function expand(regex: string): string {
  let out = regex;
  for (const [from, to] of EXPANSIONS) out = out.split(from).join(to);
  return out;
}

function re2(name: string, regex: string, substr = '', negativeMatch = ''): DefaultTagDescriptor {
  return { type: 'regex', name, regex: expand(regex), substr, negativeMatch };
}

function tokens(name: string, pattern: string): DefaultTagDescriptor {
  return { type: 'tokens', name, pattern };
}

/**
 * Envoy's default tag extractors in Envoy's order (`source/common/config/well_known_names.cc`): regexes first, then
 * token patterns. The order decides the order of tags (and so of Prometheus labels); the extracted names do not
 * depend on it. The proxy-protocol, RBAC, connection-limit and scoped-RDS entries follow the names and examples of
 * Envoy's `tag_extractor_impl_test.cc`.
 */
export const DEFAULT_TAG_DESCRIPTORS: readonly DefaultTagDescriptor[] = Object.freeze([
  // *_rq(_<response_code>)
  re2(T.RESPONSE_CODE, String.raw`_rq(_(\d{3}))$`, '_rq_'),
  // *_rq_(<response_code_class>)xx
  re2(T.RESPONSE_CODE_CLASS, String.raw`_rq_((\d))xx$`, '_rq_'),
  // http.[<stat_prefix>.]dynamodb.table.[<table_name>.]capacity.[<operation_name>.](__partition_id=<last_seven_characters_from_partition_id>)
  re2(
    T.DYNAMO_PARTITION_ID,
    String.raw`^http\.<TAG_VALUE>\.dynamodb\.table\.<TAG_VALUE>\.capacity\.<TAG_VALUE>(\.__partition_id=(\w{7}))$`,
    '.dynamodb.table.',
  ),
  // http.[<stat_prefix>.]dynamodb.operation.(<operation_name>.)* or
  // http.[<stat_prefix>.]dynamodb.table.[<table_name>.]capacity.(<operation_name>.)[<partition_id>]
  re2(
    T.DYNAMO_OPERATION,
    String.raw`^http\.<TAG_VALUE>\.dynamodb.(?:operation|table\.<TAG_VALUE>\.capacity)(\.(<TAG_VALUE>))(?:\.|$)`,
    '.dynamodb.',
  ),
  // http.[<stat_prefix>.]dynamodb.table.(<table_name>.)* or http.[<stat_prefix>.]dynamodb.error.(<table_name>.)*
  re2(T.DYNAMO_TABLE, String.raw`^http\.<TAG_VALUE>\.dynamodb.(?:table|error)\.((<TAG_VALUE>)\.)`, '.dynamodb.'),
  // listener.[<address>.]ssl.ciphers.(<cipher>)
  re2(T.SSL_CIPHER, String.raw`^listener\..*?\.ssl\.ciphers(\.(<CIPHER>))$`, '.ssl.ciphers.'),
  // listener.[<address>.]ssl.curves.(<curve>)
  re2(T.SSL_CURVE, String.raw`^<LISTENER_OR_CLUSTER_WITH_NAME>\.ssl\.curves(\.(<CIPHER>))$`, '.ssl.curves.'),
  // listener.[<address>.]ssl.sigalgs.(<algorithm>)
  re2(T.SSL_SIGALG, String.raw`^<LISTENER_OR_CLUSTER_WITH_NAME>\.ssl\.sigalgs(\.(<CIPHER>))$`, '.ssl.sigalgs.'),
  // listener.[<address>.]ssl.versions.(<version>)
  re2(T.SSL_VERSION, String.raw`^<LISTENER_OR_CLUSTER_WITH_NAME>\.ssl\.versions(\.(<TLS_VERSION>))$`, '.ssl.versions.'),
  // cluster.[<cluster_name>.]ssl.ciphers.(<cipher>)
  re2(T.SSL_CIPHER_SUITE, String.raw`^cluster\.<TAG_VALUE>\.ssl\.ciphers(\.(<CIPHER>))$`, '.ssl.ciphers.'),
  // listener.[<address>.]http.(<stat_prefix>.)*
  re2(T.HTTP_CONN_MANAGER_PREFIX, String.raw`^listener\..*?\.http\.((<TAG_VALUE>)\.)`, '.http.'),
  // listener.<address|stat_prefix>.(worker_<id>.)*, listener_manager.(worker_<id>.)*, server.(worker_<id>.)*
  re2(T.WORKER_ID, String.raw`^(?:listener\.(?:<ADDRESS>|<TAG_VALUE>)\.|server\.|listener_manager\.)worker_((\d+)\.)`),
  // listener.(<address|stat_prefix>.)*, but not the admin listener
  re2(T.LISTENER_ADDRESS, String.raw`^listener\.((<ADDRESS>|<TAG_VALUE>)\.)`, '', 'admin'),
  // http.[<stat_prefix>.]rds.(<route_config_name>.)<base_stat>
  re2(T.RDS_ROUTE_CONFIG, String.raw`^http\.<TAG_VALUE>\.rds\.((<ROUTE_CONFIG_NAME>)\.)\w+?$`, '.rds.'),
  // http.[<stat_prefix>.]scoped_rds.(<scoped_route_config_name>.)<base_stat>
  re2(T.SCOPED_RDS_CONFIG, String.raw`^http\.<TAG_VALUE>\.scoped_rds\.((<ROUTE_CONFIG_NAME>)\.)\w+?$`, '.scoped_rds.'),
  // http.[<stat_prefix>.]rbac.[<rbac_prefix>.]policy.(<policy_name>.)*
  re2(T.RBAC_POLICY_NAME, String.raw`^http\.<TAG_VALUE>\.rbac\.(?:<TAG_VALUE>\.)?policy\.((<TAG_VALUE>)\.)`, '.rbac.'),
  // http.[<stat_prefix>.]rbac.(<rbac_prefix>.)* except the `policy.` of per-policy stats
  re2(T.RBAC_HTTP_PREFIX, String.raw`^http\.<TAG_VALUE>\.rbac\.((<TAG_VALUE>)\.)\w`, '.rbac.', 'policy'),
  // proxy_proto.[<stat_prefix>.]versions.v(<version>.)*
  re2(T.PROXY_PROTOCOL_VERSION, String.raw`^proxy_proto\.(?:<TAG_VALUE>\.)?(versions\.v(\d)\.)\w+$`, '.versions.'),
  // proxy_proto.(<stat_prefix>.)* except `versions.`
  re2(T.PROXY_PROTOCOL_PREFIX, String.raw`^proxy_proto\.((<TAG_VALUE>)\.)\w`, '', 'versions'),
  // mongo.[<stat_prefix>.]collection.[<collection>.]callsite.(<callsite>.)query.*
  tokens(T.MONGO_CALLSITE, 'mongo.*.collection.*.callsite.$.query.**'),
  // mongo.[<stat_prefix>.]collection.(<collection>.)query.*
  tokens(T.MONGO_COLLECTION, 'mongo.*.collection.$.**.query.*'),
  // mongo.[<stat_prefix>.]cmd.(<cmd>.)*
  tokens(T.MONGO_CMD, 'mongo.*.cmd.$.**'),
  // cluster.[<route_target_cluster>.]grpc.[<grpc_service>.](<grpc_method>.)*
  tokens(T.GRPC_BRIDGE_METHOD, 'cluster.*.grpc.*.$.**'),
  // http.[<stat_prefix>.]user_agent.(<user_agent>.)*
  tokens(T.HTTP_USER_AGENT, 'http.*.user_agent.$.**'),
  // vhost.[<virtual host name>.]vcluster.(<virtual_cluster_name>.)*
  tokens(T.VIRTUAL_CLUSTER, 'vhost.*.vcluster.$.**'),
  // http.[<stat_prefix>.]fault.(<downstream_cluster>.)*
  tokens(T.FAULT_DOWNSTREAM_CLUSTER, 'http.*.fault.$.**'),
  // cluster.[<route_target_cluster>.]grpc.(<grpc_service>.)*
  tokens(T.GRPC_BRIDGE_SERVICE, 'cluster.*.grpc.$.**'),
  // tcp.(<stat_prefix>.)*
  tokens(T.TCP_PREFIX, 'tcp.$.**'),
  // udp.(<stat_prefix>.)*
  tokens(T.UDP_PREFIX, 'udp.$.**'),
  // auth.clientssl.(<stat_prefix>.)*
  tokens(T.CLIENTSSL_PREFIX, 'auth.clientssl.$.**'),
  // ratelimit.(<stat_prefix>.)*
  tokens(T.RATELIMIT_PREFIX, 'ratelimit.$.**'),
  // cluster.(<cluster_name>.)*
  tokens(T.CLUSTER_NAME, 'cluster.$.**'),
  // cluster.[<cluster>.]ext_authz.(<ext_authz_prefix>.)*
  tokens(T.EXT_AUTHZ_PREFIX, 'cluster.*.ext_authz.$.**'),
  // http.[<http_conn_mgr_prefix>.]ext_authz.(<ext_authz_prefix>.)*
  tokens(T.EXT_AUTHZ_PREFIX, 'http.*.ext_authz.$.**'),
  // http.(<stat_prefix>.)*
  tokens(T.HTTP_CONN_MANAGER_PREFIX, 'http.$.**'),
  // vhost.(<virtual host name>.)*
  tokens(T.VIRTUAL_HOST, 'vhost.$.**'),
  // mongo.(<stat_prefix>.)*
  tokens(T.MONGO_PREFIX, 'mongo.$.**'),
  // vhost.[<virtual host name>.]route.(<route_stat_prefix>.)*
  tokens(T.ROUTE, 'vhost.*.route.$.**'),
  // thrift.(<stat_prefix>.)*
  tokens(T.THRIFT_PREFIX, 'thrift.$.**'),
  // redis.(<stat_prefix>.)*
  tokens(T.REDIS_PREFIX, 'redis.$.**'),
  // (<stat_prefix>.)http_local_rate_limit.*
  tokens(T.LOCAL_HTTP_RATELIMIT_PREFIX, '$.http_local_rate_limit.**'),
  // local_rate_limit.(<stat_prefix>.)*
  tokens(T.LOCAL_NETWORK_RATELIMIT_PREFIX, 'local_rate_limit.$.**'),
  // listener_local_ratelimit.(<stat_prefix>.)*
  tokens(T.LOCAL_LISTENER_RATELIMIT_PREFIX, 'listener_local_ratelimit.$.**'),
  // dns_filter.(<stat_prefix>.)*
  tokens(T.DNS_FILTER_PREFIX, 'dns_filter.$.**'),
  // connection_limit.(<stat_prefix>.)*
  tokens(T.CONNECTION_LIMIT_PREFIX, 'connection_limit.$.**'),
  // (<stat_prefix>.)rbac.*
  tokens(T.RBAC_PREFIX, '$.rbac.**'),
]);

/** A fresh extractor for a descriptor. */
export function createDefaultExtractor(descriptor: DefaultTagDescriptor): TagExtractor {
  return descriptor.type === 'regex'
    ? new RegexTagExtractor(descriptor.name, descriptor.regex, { substr: descriptor.substr, negativeMatch: descriptor.negativeMatch, re2: true })
    : new TokensTagExtractor(descriptor.name, descriptor.pattern);
}
