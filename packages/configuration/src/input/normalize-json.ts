import type { DescField, DescMessage } from '@bufbuild/protobuf';
import { collectTypeUrls, typeNameFromUrl, type LazyTypeRegistry } from '@orion/data-plane-api';
import { TYPED_STRUCT_TYPES } from '../support/effective-type.js';
import { EXTENSION_POINTS } from '../support/support-table.js';

type Json = Record<string, unknown>;

function isRecord(value: unknown): value is Json {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

const SUPPORTED_EXTENSIONS: ReadonlySet<string> = new Set(Object.values(EXTENSION_POINTS).flatMap((p) => p.supported));

/** Every type named by a `@type` or by a TypedStruct's `type_url`, so they can be loaded before decoding. */
function collectAllTypeUrls(value: unknown, into: Set<string>): Set<string> {
  collectTypeUrls(value, into);
  const visit = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach(visit);
    else if (isRecord(v)) {
      const typeUrl = v['type_url'] ?? v['typeUrl'];
      if (typeof v['@type'] === 'string' && TYPED_STRUCT_TYPES.has(typeNameFromUrl(v['@type'])) && typeof typeUrl === 'string') into.add(typeUrl);
      Object.values(v).forEach(visit);
    }
  };
  visit(value);
  return into;
}

/**
 * Prepares a JSON/YAML value for decoding as `desc`, applying Orion's documented relaxations of the proto JSON
 * mapping (see "Differences from Envoy" in the README):
 * - a message field written with no value (`http_protocol_options:` in YAML, i.e. null) is an empty message, not unset;
 * - a cluster's `load_assignment.cluster_name` defaults to the cluster's `name`;
 * - a `TypedStruct` whose `type_url` names an extension Orion implements is read as that extension.
 * Keys, order and nesting are otherwise kept, so source positions still apply.
 */
export async function normalizeJson(desc: DescMessage, value: unknown, registry: LazyTypeRegistry): Promise<unknown> {
  await registry.load(collectAllTypeUrls(value, new Set()));
  return new Normalizer(registry).message(desc, value);
}

class Normalizer {
  constructor(private readonly registry: LazyTypeRegistry) {}

  message(desc: DescMessage, value: unknown): unknown {
    if (desc.typeName === 'google.protobuf.Any') return this.any(value);
    if (desc.typeName.startsWith('google.protobuf.') || !isRecord(value)) return value;
    const out: Json = {};
    for (const [key, fieldValue] of Object.entries(value)) {
      const field = desc.fields.find((f) => f.name === key || f.jsonName === key);
      out[key] = field === undefined ? fieldValue : this.field(field, fieldValue);
    }
    if (desc.typeName === 'envoy.config.cluster.v3.Cluster') fillClusterName(out);
    return out;
  }

  private field(field: DescField, value: unknown): unknown {
    switch (field.fieldKind) {
      case 'message':
        if (value === null && !field.message.typeName.startsWith('google.protobuf.')) return {};
        return this.message(field.message, value);
      case 'list':
        if (field.listKind !== 'message' || !Array.isArray(value)) return value;
        return value.map((item) => this.message(field.message, item));
      case 'map':
        if (field.mapKind !== 'message' || !isRecord(value)) return value;
        return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, this.message(field.message, v)]));
      default:
        return value;
    }
  }

  private any(value: unknown): unknown {
    if (!isRecord(value) || typeof value['@type'] !== 'string') return value;
    const typeUrl = value['@type'];
    if (TYPED_STRUCT_TYPES.has(typeNameFromUrl(typeUrl))) {
      const inner = value['type_url'] ?? value['typeUrl'];
      const payload = value['value'] ?? {};
      if (typeof inner === 'string' && SUPPORTED_EXTENSIONS.has(typeNameFromUrl(inner)) && this.registry.getMessage(inner) !== undefined && isRecord(payload)) {
        return this.any({ '@type': inner, ...payload });
      }
      return value;
    }
    const desc = this.registry.getMessage(typeUrl);
    if (desc === undefined || desc.typeName.startsWith('google.protobuf.')) return value;
    const fields = this.message(desc, Object.fromEntries(Object.entries(value).filter(([k]) => k !== '@type'))) as Json;
    return { '@type': typeUrl, ...fields };
  }
}

function fillClusterName(cluster: Json): void {
  const name = cluster['name'];
  const key = 'load_assignment' in cluster ? 'load_assignment' : 'loadAssignment';
  const assignment = cluster[key];
  if (typeof name !== 'string' || !isRecord(assignment)) return;
  const current = assignment['cluster_name'] ?? assignment['clusterName'];
  if (current === undefined || current === null || current === '') cluster[key] = { cluster_name: name, ...withoutClusterName(assignment) };
}

function withoutClusterName(assignment: Json): Json {
  return Object.fromEntries(Object.entries(assignment).filter(([k]) => k !== 'cluster_name' && k !== 'clusterName'));
}
