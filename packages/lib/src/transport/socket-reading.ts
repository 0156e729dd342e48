import type { Socket } from 'node:net';

/** The native stream handle behind a `net.Socket` (TCP or pipe), as a native parser consumes it. */
export interface StreamHandle {
  readStart(): number;
  readStop(): number;
  reading?: boolean;
  isStreamBase?: boolean;
}

/** The socket's handle when a native parser can read straight from it (`parser.consume(handle)`), else undefined. */
export function consumableHandle(socket: Socket): StreamHandle | undefined {
  const handle = (socket as unknown as { _handle?: StreamHandle })._handle;
  return handle?.isStreamBase === true ? handle : undefined;
}

/**
 * Stops reading: at the handle when a parser consumes it (no read reaches JS to be paused), else by pausing the
 * socket.
 */
export function stopReading(socket: Socket, handle: StreamHandle | undefined): void {
  if (handle !== undefined) {
    handle.reading = false;
    handle.readStop();
  } else {
    socket.pause();
  }
}

/** Starts reading again after {@link stopReading}. */
export function startReading(socket: Socket, handle: StreamHandle | undefined): void {
  if (handle !== undefined) {
    handle.reading = true;
    handle.readStart();
  } else {
    socket.resume();
  }
}
