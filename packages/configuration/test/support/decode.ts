import type { DescMessage, MessageShape } from '@bufbuild/protobuf';
import { decodeMessage, parseSource, type SourceDocument } from '@orion/data-plane-api';

/** Decodes YAML into an Envoy message, keeping the document to locate issues. */
export async function decodeYaml<Desc extends DescMessage>(schema: Desc, yaml: string): Promise<{ readonly message: MessageShape<Desc>; readonly document: SourceDocument }> {
  const document = parseSource(yaml, { path: 'resource.yaml' });
  const { message } = await decodeMessage(schema, document.value, { document, skipValidation: true });
  return { message, document };
}
