import { assertNever } from '@orion/error';
import type { ConfigurationChange } from './configuration-change.js';

/** A one-line summary of a change set for the log: `listener "a" updated; routes of listener "b" (chain 0) updated`. */
export function describeChanges(changes: readonly ConfigurationChange[]): string {
  return changes
    .map((c) => {
      switch (c.type) {
        case 'listener':
          return `listener "${c.kind === 'removed' ? c.name : c.listener.name}" ${c.kind}`;
        case 'route':
          return `routes of listener "${c.listener}" (chain ${String(c.filterChain)}) updated`;
        case 'cluster':
          return `cluster "${c.kind === 'removed' ? c.name : c.cluster.name}" ${c.kind}`;
        case 'endpoint':
          return `endpoints of cluster "${c.kind === 'removed' ? c.clusterName : c.loadAssignment.clusterName}" ${c.kind}`;
        case 'secret':
          return `secret "${c.kind === 'removed' ? c.name : c.secret.name}" ${c.kind}`;
        default:
          return assertNever(c, 'configuration change');
      }
    })
    .join('; ');
}
