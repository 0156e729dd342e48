import type { AccessLog } from './access-log.js';
import type { Address } from './address.js';
import type { Cluster } from './cluster.js';
import type { Locality } from './cluster-load-assignment.js';
import type { ApiConfigSource, ConfigSource, GrpcService } from './config-source.js';
import type { JsonObject } from './json-value.js';
import type { Listener } from './listener.js';
import type { Logging } from './logging.js';
import type { Runtime } from './runtime.js';
import type { Secret } from './secret.js';
import type { StringMatcher } from './string-matcher.js';

/**
 * Orion's whole validated configuration: the Envoy bootstrap converted once, plus Orion's `runtime` and `logging`.
 * Envoy: `envoy.config.bootstrap.v3.Bootstrap`. Plain, deeply readonly data (it is sent to worker processes).
 */
export interface Bootstrap {
  /** `node`, completed from `--service-node`/`--service-cluster` and `POD_NAME`/`POD_NAMESPACE`. */
  readonly node: Node;
  /** `admin`. Undefined: no admin listener. */
  readonly admin?: Admin;
  /** `static_resources`. */
  readonly staticResources: StaticResources;
  /** `dynamic_resources`. Undefined: no xDS. */
  readonly dynamicResources?: DynamicResources;
  /** `stats_sinks`. */
  readonly statsSinks: readonly StatsSink[];
  /** `stats_flush_interval`. Default 5000. */
  readonly statsFlushIntervalMs: number;
  /** `stats_config`. Default: Envoy's default tags, every stat created, default histogram buckets. */
  readonly statsConfig: StatsConfig;
  /** Orion's `runtime` section, resolved with the command line and environment. */
  readonly runtime: Runtime;
  /** Orion's `logging` section, resolved with the command line. */
  readonly logging: Logging;
}

/** Who this proxy is, for the management server. Envoy: `envoy.config.core.v3.Node`. */
export interface Node {
  /** `id`; `--service-node`, else `POD_NAME.POD_NAMESPACE`-style fill from `POD_NAME`. Default `""`. */
  readonly id: string;
  /** `cluster`; `--service-cluster`, else `POD_NAMESPACE`. Default `""`. */
  readonly cluster: string;
  /** `metadata`. Default `{}`. */
  readonly metadata: JsonObject;
  /** `locality`. */
  readonly locality?: Locality;
  /** `user_agent_name`. Default `orion`. */
  readonly userAgentName: string;
  /** `user_agent_version`. Default `""` (the proxy fills in its version). */
  readonly userAgentVersion: string;
}

/** The admin listener. Envoy: `envoy.config.bootstrap.v3.Admin` (`profile_path`, `ignore_global_conn_limit` ignored). */
export interface Admin {
  /** `address`. */
  readonly address: Address;
  /** `access_log` (and the deprecated `access_log_path`). */
  readonly accessLogs: readonly AccessLog[];
}

/** Resources given in the file. Envoy: `envoy.config.bootstrap.v3.Bootstrap.StaticResources`. */
export interface StaticResources {
  readonly listeners: readonly Listener[];
  readonly clusters: readonly Cluster[];
  readonly secrets: readonly Secret[];
}

/** Where dynamic resources come from. Envoy: `envoy.config.bootstrap.v3.Bootstrap.DynamicResources`. */
export interface DynamicResources {
  /** `ads_config`: the aggregated stream (`transport` `sotw` for GRPC, `delta` for DELTA_GRPC). */
  readonly ads?: ApiConfigSource;
  /** `lds_config`. */
  readonly lds?: ConfigSource;
  /** `cds_config`. */
  readonly cds?: ConfigSource;
}

/**
 * A stats sink. Envoy: `StatsSink` whose `typed_config` is `envoy.extensions.stat_sinks.open_telemetry.v3.SinkConfig`
 * (OTLP over gRPC).
 */
export interface StatsSink {
  readonly type: 'openTelemetry';
  /** `name`. */
  readonly name: string;
  /** `grpc_service`. */
  readonly grpcService: GrpcService;
  /** `report_counters_as_deltas`. Default false. */
  readonly reportCountersAsDeltas: boolean;
  /** `report_histograms_as_deltas`. Default false. */
  readonly reportHistogramsAsDeltas: boolean;
  /** `emit_tags_as_attributes`. Default true. */
  readonly emitTagsAsAttributes: boolean;
  /** `use_tag_extracted_name`. Default true. */
  readonly useTagExtractedName: boolean;
  /** `prefix` of metric names. Default `""`. */
  readonly prefix: string;
}

/**
 * How stats are named, tagged, created and bucketed. Envoy: `envoy.config.metrics.v3.StatsConfig`. The defaults
 * (`use_all_default_tags` true, nothing else set) are {@link DEFAULT_STATS_CONFIG}.
 */
export interface StatsConfig {
  /** `stats_tags`, applied after the default tags. Default none. */
  readonly statsTags: readonly TagSpecifier[];
  /** `use_all_default_tags`. Default true. */
  readonly useAllDefaultTags: boolean;
  /** `stats_matcher`. Undefined (also for `reject_all: false`): every stat is created. */
  readonly statsMatcher?: StatsMatcher;
  /** `histogram_bucket_settings`, first match wins. Default none (Envoy's default buckets). */
  readonly histogramBucketSettings: readonly HistogramBucketSettings[];
}

/**
 * A custom tag. Envoy: `envoy.config.metrics.v3.TagSpecifier`: `regex` (an empty regex selects Envoy's default
 * extractors of that `tag_name`) or `fixed_value`.
 */
export type TagSpecifier = { readonly tagName: string; readonly regex: string } | { readonly tagName: string; readonly fixedValue: string };

/**
 * Which stats are created. Envoy: `envoy.config.metrics.v3.StatsMatcher` (`reject_all: true` → `rejectAll`;
 * `inclusion_list` / `exclusion_list` → their `ListStringMatcher.patterns`).
 */
export type StatsMatcher =
  | { readonly type: 'rejectAll' }
  | { readonly type: 'inclusionList' | 'exclusionList'; readonly patterns: readonly StringMatcher[] };

/** Buckets for the histograms whose name matches. Envoy: `envoy.config.metrics.v3.HistogramBucketSettings`. */
export interface HistogramBucketSettings {
  /** `match`. */
  readonly match: StringMatcher;
  /** `buckets`, sorted ascending (as Envoy sorts them). */
  readonly buckets: readonly number[];
}

/** The `stats_config` of a bootstrap that sets none. */
export const DEFAULT_STATS_CONFIG: StatsConfig = Object.freeze({ statsTags: Object.freeze([]), useAllDefaultTags: true, histogramBucketSettings: Object.freeze([]) });
