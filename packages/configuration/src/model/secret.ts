import type { DataSource } from './data-source.js';

/**
 * A named secret. Envoy: `envoy.extensions.transport_sockets.tls.v3.Secret` with `tls_certificate`
 * (`certificate_chain`, `private_key`, `password`) or `validation_context` (`trusted_ca`); other kinds and fields
 * are rejected. Files named here must exist when the configuration is loaded.
 */
export type Secret =
  | {
      readonly type: 'tlsCertificate';
      /** `name` (unique). */
      readonly name: string;
      /** `tls_certificate.certificate_chain` (PEM). */
      readonly certificateChain: DataSource;
      /** `tls_certificate.private_key` (PEM). */
      readonly privateKey: DataSource;
      /** `tls_certificate.password` of an encrypted key. */
      readonly password?: DataSource;
    }
  | {
      readonly type: 'validationContext';
      /** `name` (unique). */
      readonly name: string;
      /** `validation_context.trusted_ca` (PEM). */
      readonly trustedCa: DataSource;
    };
