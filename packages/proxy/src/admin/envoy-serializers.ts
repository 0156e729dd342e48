import {
  bootstrapToEnvoyJson,
  clusterLoadAssignmentToEnvoyJson,
  clusterToEnvoyJson,
  listenerToEnvoyJson,
  routeConfigurationToEnvoyJson,
  secretToEnvoyJson,
} from '@orion/configuration';
import type { EnvoyJsonSerializers } from './config-dump.js';

/** `@orion/configuration`'s serialisers with sensitive fields redacted, as `/config_dump` prints them. */
export const REDACTING_SERIALIZERS: EnvoyJsonSerializers = {
  bootstrap: (b) => bootstrapToEnvoyJson(b),
  listener: (l) => listenerToEnvoyJson(l),
  cluster: (c) => clusterToEnvoyJson(c),
  routeConfiguration: (r) => routeConfigurationToEnvoyJson(r),
  loadAssignment: (a) => clusterLoadAssignmentToEnvoyJson(a),
  secret: (s) => secretToEnvoyJson(s),
};
