import { CLUSTER_LOAD_ASSIGNMENT_TYPE_URL, CLUSTER_TYPE_URL, DiscoveryClientBuilder, clusterBinding, clusterLoadAssignmentBinding } from '@orion/xds';

/** Prints clusters and their endpoints as the ADS server at `server` changes them, until `signal` aborts. */
export async function watchClusters(server: string, signal: AbortSignal, print: (line: string) => void = console.log): Promise<void> {
  const client = new DiscoveryClientBuilder()
    .target(server) // host:port (h2c) or unix:/path/to/socket
    .node({ id: 'example-node', cluster: 'example' })
    .protocol('delta') // or 'sotw'
    .resource(clusterBinding) // CDS: wildcard
    .resource(clusterLoadAssignmentBinding) // EDS: by name, subscribed below
    .signal(signal)
    .build();

  for await (const batch of client) {
    if (batch.typeUrl === CLUSTER_TYPE_URL) {
      for (const { name, version, value } of batch.updates) {
        print(`cluster ${name} version ${version}, connect timeout ${value.connectTimeout?.seconds ?? 0n}s`);
        client.subscribe(CLUSTER_LOAD_ASSIGNMENT_TYPE_URL, [name]);
      }
      for (const { name } of batch.removals) {
        print(`cluster ${name} removed`);
        client.unsubscribe(CLUSTER_LOAD_ASSIGNMENT_TYPE_URL, [name]);
      }
    } else {
      for (const { name, value } of batch.updates) {
        print(`endpoints of ${name}: ${value.endpoints.flatMap((locality) => locality.lbEndpoints).length}`);
      }
    }
    batch.ack(); // or batch.nack([{ name, message }]) for the resources you reject
  }
}
