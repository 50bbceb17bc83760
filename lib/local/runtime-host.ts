// Where the host-side Runtime API listens, and the address containers use to reach it.
import * as os from 'os';
import { bridgeGateway } from './docker';

export interface RuntimeHost {
  /** Address the Runtime API servers bind to. */
  readonly bind: string;
  /** Host part of AWS_LAMBDA_RUNTIME_API as seen from inside a container. */
  readonly advertise: string;
  /** Extra `docker run` arguments that make `advertise` resolvable. */
  readonly runArgs: readonly string[];
}

let pending: Promise<RuntimeHost> | undefined;

/**
 * On Linux the bridge gateway (172.17.0.1) is an address of this machine: bind there, so the Runtime
 * API is reachable from containers and not from the network. Elsewhere (Docker Desktop's VM, a remote
 * engine) the gateway is not ours: bind loopback and let containers use host.docker.internal.
 */
export function runtimeHost(): Promise<RuntimeHost> {
  pending ??= (async () => {
    const gateway = await bridgeGateway();
    const local = Object.values(os.networkInterfaces()).flat().some(a => a?.address === gateway);
    if (gateway && local) return { bind: gateway, advertise: gateway, runArgs: [] };
    return { bind: '127.0.0.1', advertise: 'host.docker.internal', runArgs: ['--add-host', 'host.docker.internal:host-gateway'] };
  })();
  return pending;
}
