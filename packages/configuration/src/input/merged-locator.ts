import { FieldPath, makeIssue, toCamelCase, type DecodeIssue, type PathSegment, type SourceDocument } from '@orion/data-plane-api';

function child(value: unknown, segment: PathSegment): unknown {
  if (segment.kind === 'index') return Array.isArray(value) ? value[segment.index] : undefined;
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
  const record = value as Record<string, unknown>;
  if (segment.kind === 'mapKey') return record[segment.key];
  return segment.name in record ? record[segment.name] : record[toCamelCase(segment.name)];
}

/**
 * Locates an issue of a bootstrap merged from the file (at `at`) and `--config-yaml` (Envoy's MergeFrom: lists
 * append, scalars and present fields of the overlay win) in the document the value came from, with that document's
 * own path (`clusters[2]` of the merge is `clusters[0]` of the overlay when the file has two).
 */
export function mergedLocator(file: SourceDocument, fileValue: unknown, at: FieldPath, overlay: SourceDocument): (path: FieldPath, message: string) => DecodeIssue {
  return (path, message) => {
    const prefix = at.segments.length;
    const segments = path.segments.slice(prefix);
    let f: unknown = fileValue;
    let o: unknown = overlay.value;
    let side: 'both' | 'file' | 'overlay' = 'both';
    const out: PathSegment[] = [];
    for (const segment of segments) {
      if (side === 'file') {
        f = child(f, segment);
        out.push(segment);
        continue;
      }
      if (side === 'overlay') {
        o = child(o, segment);
        out.push(segment);
        continue;
      }
      if (segment.kind === 'index') {
        const fileLength = Array.isArray(f) ? f.length : 0;
        if (segment.index < fileLength) {
          side = 'file';
          f = child(f, segment);
          out.push(segment);
        } else {
          side = 'overlay';
          const shifted: PathSegment = { ...segment, index: segment.index - fileLength };
          o = child(o, shifted);
          out.push(shifted);
        }
        continue;
      }
      f = child(f, segment);
      o = child(o, segment);
      out.push(segment);
      if (o === undefined) side = 'file';
      else if (f === undefined) side = 'overlay';
    }
    if (side === 'overlay' || (side === 'both' && o !== undefined)) return makeIssue(FieldPath.of(out), message, overlay);
    return makeIssue(at.concat(FieldPath.of(out)), message, file);
  };
}
