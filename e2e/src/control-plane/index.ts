export { TestControlPlane } from './test-control-plane.js';
export type { ControlPlaneListen } from './test-control-plane.js';
export { DeltaControlPlaneStream, SotwControlPlaneStream } from './control-plane-stream.js';
export type { ControlPlaneStream, DeltaResourceInit } from './control-plane-stream.js';
export {
  TYPE_URL,
  cluster,
  clusterLoadAssignment,
  corruptAny,
  durationOf,
  httpListener,
  listener,
  resourceOf,
  routeConfiguration,
  secret,
  toAny,
  wrappedAny,
} from './resources.js';
export type { ServedMessage } from './resources.js';
export { TimedQueue } from './timed-queue.js';
export { GrpcJsControlPlane, GrpcJsStream } from './grpc-js-control-plane.js';
export type { ProtoLoaderMessage } from './grpc-js-control-plane.js';
