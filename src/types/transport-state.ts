// A chat transport's connection states, and which of them can send (base layer: the channels and the transports both read it).

/**
 * starting, scanning (a QR login), online: WeChat's; connecting, authenticated, reconnecting:
 * WeCom's long connection; standby: another hub holds the connection (one per bot); offline: down.
 */
export type TransportState =
  | 'starting'
  | 'scanning'
  | 'online'
  | 'connecting'
  | 'authenticated'
  | 'reconnecting'
  | 'standby'
  | 'offline';

/** Whether a transport in this state can send now. */
export function canSend(state: string): boolean {
  return state === 'online' || state === 'authenticated';
}
