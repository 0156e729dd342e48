import type { DescMessage, Message } from '@bufbuild/protobuf';
import { validateRules, type FieldPath } from '@orion/data-plane-api';
import type { ConversionContext } from '../convert/conversion-context.js';
import { checkSupported } from '../support/check-supported.js';
import { findMissingDataSources } from './data-source-files.js';

/** Options for {@link validateMessage}. */
export interface ValidateMessageOptions {
  /** Relative data-source file names are resolved against this directory. */
  readonly baseDirectory: string;
  /** The environment data sources may read. */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Where ignored fields are recorded (reported at debug level). */
  readonly ignored: ConversionContext['issues'];
}

/**
 * Runs every check that needs the decoded proto before conversion: the PGV rules, the supported/ignored/rejected
 * field classes, and data-source files and environment variables. Errors and warnings go to `ctx`.
 */
export function validateMessage(desc: DescMessage, message: Message, at: FieldPath, ctx: ConversionContext, options: ValidateMessageOptions): void {
  for (const v of validateRules(desc, message, at, ctx.registry)) ctx.error(v.path, v.message);
  for (const finding of checkSupported(desc, message, at, { registry: ctx.registry })) {
    switch (finding.kind) {
      case 'rejected':
        ctx.error(finding.path, finding.message);
        break;
      case 'skipped':
        ctx.warn(finding.path, finding.message);
        break;
      case 'ignored':
        options.ignored.push(ctx.locate(finding.path, finding.message));
        break;
    }
  }
  for (const missing of findMissingDataSources(desc, message, at, { registry: ctx.registry, baseDirectory: options.baseDirectory, env: options.env })) {
    ctx.error(missing.path, missing.message);
  }
}
