import { create, toBinary } from '@bufbuild/protobuf';
import { ClusterLoadAssignmentSchema } from '@orion/data-plane-api/gen/envoy/config/endpoint/v3/endpoint_pb.js';
import { ListenerSchema } from '@orion/data-plane-api/gen/envoy/config/listener/v3/listener_pb.js';
import { describe, expect, it } from 'vitest';
import { readNameField } from '../src/read-name-field.js';

describe('readNameField', () => {
  it('reads field 1 without decoding the rest', () => {
    const listener = create(ListenerSchema, { name: 'http-8080', statPrefix: 'http', address: { address: { case: 'pipe', value: { path: '/x' } } } });
    expect(readNameField(toBinary(ListenerSchema, listener), 1)).toBe('http-8080');
    const cla = create(ClusterLoadAssignmentSchema, { clusterName: 'backend', endpoints: [{}] });
    expect(readNameField(toBinary(ClusterLoadAssignmentSchema, cla), 1)).toBe('backend');
  });

  it('returns the last occurrence and "" when absent', () => {
    expect(readNameField(new Uint8Array([0x0a, 0x01, 0x61, 0x0a, 0x01, 0x62]), 1)).toBe('b');
    expect(readNameField(new Uint8Array([0x10, 0x05]), 1)).toBe('');
    expect(readNameField(new Uint8Array(), 1)).toBe('');
  });

  it('keeps a name read before the bytes break, and throws when they break before it', () => {
    expect(readNameField(new Uint8Array([0x0a, 0x01, 0x61, 0x17, 0x00]), 1)).toBe('a');
    expect(() => readNameField(new Uint8Array([0x0a, 0xff, 0xff, 0xff, 0xff, 0x0f]), 1)).toThrow();
  });
});
