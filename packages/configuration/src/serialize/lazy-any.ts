import { create, type DescMessage, type Message, type MessageShape } from '@bufbuild/protobuf';
import { AnySchema, type Any } from '@bufbuild/protobuf/wkt';

/** The message an `Any` made by {@link packLazy} stands for. */
export interface LazyAnyContent {
  readonly desc: DescMessage;
  readonly message: Message;
}

const contents = new WeakMap<Any, LazyAnyContent>();

/**
 * An `Any` for `message` whose bytes are never encoded: the serialisers redact and print the message itself
 * ({@link lazyAnyContent}), so a large connection manager is not encoded and decoded again on the way to JSON.
 * Its `value` is empty: only the serialisers may print it.
 */
export function packLazy<Desc extends DescMessage>(desc: Desc, message: MessageShape<Desc>): Any {
  const any = create(AnySchema, { typeUrl: `type.googleapis.com/${desc.typeName}` });
  contents.set(any, { desc, message });
  return any;
}

/** The content of an `Any` made by {@link packLazy}, or undefined for an ordinary `Any`. */
export function lazyAnyContent(any: Any): LazyAnyContent | undefined {
  return contents.get(any);
}
