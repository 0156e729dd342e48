import type { DescMessage } from '@bufbuild/protobuf';

function childMessages(desc: DescMessage): DescMessage[] {
  const out: DescMessage[] = [];
  for (const field of desc.fields) {
    if (field.fieldKind === 'message' || (field.fieldKind === 'list' && field.listKind === 'message') || (field.fieldKind === 'map' && field.mapKind === 'message')) {
      out.push(field.message);
    }
  }
  return out;
}

/**
 * A cached test of whether a message type, or a type reachable through its message fields, satisfies `holds`:
 * the serialisers skip subtrees where it cannot (no sensitive field, no `Any`). Cycles (matchers, `Struct`) are
 * handled with a fixpoint over every reachable type, bounded by their number.
 */
export function reachTest(holds: (desc: DescMessage) => boolean): (desc: DescMessage) => boolean {
  const cache = new Map<DescMessage, boolean>();
  return (root) => {
    const cached = cache.get(root);
    if (cached !== undefined) return cached;
    const types: DescMessage[] = [root];
    const seen = new Set<DescMessage>(types);
    for (let i = 0; i < types.length; i++) {
      for (const child of childMessages(types[i] ?? root)) {
        if (!seen.has(child)) {
          seen.add(child);
          types.push(child);
        }
      }
    }
    const result = new Map<DescMessage, boolean>();
    for (const t of types) result.set(t, cache.get(t) ?? holds(t));
    for (let changed = true; changed; ) {
      changed = false;
      for (const t of types) {
        if (result.get(t) === true) continue;
        if (childMessages(t).some((c) => result.get(c) === true)) {
          result.set(t, true);
          changed = true;
        }
      }
    }
    for (const [t, value] of result) cache.set(t, value);
    return result.get(root) ?? false;
  };
}
