import type { UpgradeConfig } from '@orion/configuration';

function find(configs: readonly UpgradeConfig[], type: string): UpgradeConfig | undefined {
  for (const c of configs) if (c.upgradeType.toLowerCase() === type) return c;
  return undefined;
}

/**
 * Whether an upgrade of `type` (lower case, e.g. `websocket`) may proceed — Envoy's
 * `HttpConnectionManagerConfig::createUpgradeFilterChain`: a route-level `upgrade_configs` entry decides when
 * present (`enabled: false` refuses, `true` allows even when the connection manager does not list the type);
 * otherwise the connection manager's entry must exist and be enabled.
 */
export function isUpgradeAllowed(type: string, connectionManager: readonly UpgradeConfig[], route: readonly UpgradeConfig[] | undefined): boolean {
  const routeEntry = route === undefined ? undefined : find(route, type);
  if (routeEntry !== undefined) return routeEntry.enabled;
  return find(connectionManager, type)?.enabled === true;
}
