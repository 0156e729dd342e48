/**
 * Bytes that come from a file, the configuration itself or an environment variable.
 * Envoy: `envoy.config.core.v3.DataSource` (`watched_directory` is rejected). Files and environment variables are
 * checked to exist when the configuration is loaded; their content is read by the data plane.
 */
export type DataSource =
  | { readonly type: 'file'; /** `filename`, relative to the working directory. */ readonly path: string }
  | { readonly type: 'inlineString'; /** `inline_string`. */ readonly value: string }
  | { readonly type: 'inlineBytes'; /** `inline_bytes`, base64-encoded. */ readonly base64: string }
  | { readonly type: 'environmentVariable'; /** `environment_variable`. */ readonly name: string };
