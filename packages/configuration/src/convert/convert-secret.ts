import type { FieldPath } from '@orion/data-plane-api';
import type { Secret as SecretProto } from '@orion/data-plane-api/gen/envoy/extensions/transport_sockets/tls/v3/secret_pb.js';
import type { DataSource } from '../model/data-source.js';
import type { Secret } from '../model/secret.js';
import { convertDataSource } from './convert-common.js';
import type { ConversionContext } from './conversion-context.js';

/** `envoy.extensions.transport_sockets.tls.v3.Secret` → {@link Secret}; undefined when its kind is not implemented. */
export function convertSecretMessage(secret: SecretProto, path: FieldPath, ctx: ConversionContext): Secret | undefined {
  if (secret.name === '') ctx.error(path.field('name'), 'a secret name is required');
  const required = (source: DataSource | undefined, at: FieldPath): DataSource => {
    if (source === undefined) ctx.error(at, 'a data source is required');
    return source ?? { type: 'inlineString', value: '' };
  };
  switch (secret.type.case) {
    case 'tlsCertificate': {
      const c = secret.type.value;
      const at = path.field('tls_certificate');
      const password = convertDataSource(c.password);
      return {
        type: 'tlsCertificate',
        name: secret.name,
        certificateChain: required(convertDataSource(c.certificateChain), at.field('certificate_chain')),
        privateKey: required(convertDataSource(c.privateKey), at.field('private_key')),
        ...(password === undefined ? {} : { password }),
      };
    }
    case 'validationContext':
      return { type: 'validationContext', name: secret.name, trustedCa: required(convertDataSource(secret.type.value.trustedCa), path.field('validation_context').field('trusted_ca')) };
    default:
      if (secret.type.case === undefined) ctx.error(path, 'one of tls_certificate or validation_context is required');
      return undefined;
  }
}
