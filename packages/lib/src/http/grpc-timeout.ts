/** Milliseconds per `grpc-timeout` unit: Hours, Minutes, Seconds, milliseconds, microseconds, nanoseconds. */
function unitMs(unit: number): number | undefined {
  switch (unit) {
    case 0x48 /* H */:
      return 3_600_000;
    case 0x4d /* M */:
      return 60_000;
    case 0x53 /* S */:
      return 1000;
    case 0x6d /* m */:
      return 1;
    case 0x75 /* u */:
      return 0.001;
    case 0x6e /* n */:
      return 0.000_001;
    default:
      return undefined;
  }
}

/**
 * The `grpc-timeout` request header in milliseconds (rounded up, so a sub-millisecond deadline is not 0), or
 * undefined when absent or malformed: 1–8 ASCII digits followed by one unit letter, as gRPC specifies and
 * Envoy's `Grpc::Common::getGrpcTimeout` checks.
 */
export function grpcTimeoutMs(value: string | undefined): number | undefined {
  if (value === undefined || value.length < 2 || value.length > 9) return undefined;
  const ms = unitMs(value.charCodeAt(value.length - 1));
  if (ms === undefined) return undefined;
  let n = 0;
  for (let i = 0; i < value.length - 1; i++) {
    const d = value.charCodeAt(i) - 0x30;
    if (d < 0 || d > 9) return undefined;
    n = n * 10 + d;
  }
  return Math.ceil(n * ms);
}
