import { create } from '@bufbuild/protobuf';
import { CertificateValidationContextSchema, TlsCertificateSchema } from '@orion/data-plane-api/gen/envoy/extensions/transport_sockets/tls/v3/common_pb.js';
import { SecretSchema, type Secret as SecretProto } from '@orion/data-plane-api/gen/envoy/extensions/transport_sockets/tls/v3/secret_pb.js';
import type { Secret } from '../model/secret.js';
import { buildDataSource } from './build-common.js';

/** {@link Secret} → `envoy.extensions.transport_sockets.tls.v3.Secret` (not redacted: {@link printEnvoyJson} does that). */
export function buildSecret(secret: Secret): SecretProto {
  if (secret.type === 'validationContext') {
    return create(SecretSchema, {
      name: secret.name,
      type: { case: 'validationContext', value: create(CertificateValidationContextSchema, { trustedCa: buildDataSource(secret.trustedCa) }) },
    });
  }
  return create(SecretSchema, {
    name: secret.name,
    type: {
      case: 'tlsCertificate',
      value: create(TlsCertificateSchema, {
        certificateChain: buildDataSource(secret.certificateChain),
        privateKey: buildDataSource(secret.privateKey),
        ...(secret.password === undefined ? {} : { password: buildDataSource(secret.password) }),
      }),
    },
  });
}
