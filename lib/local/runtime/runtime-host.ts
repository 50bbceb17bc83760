// Where the host-side Runtime API listens, and the address containers use to reach it.
import * as net from 'net';
import { bridgeNetwork } from '../../docker';

export interface RuntimeHost {
  /** Address the Runtime API servers bind to. */
  readonly bind: string;
  /** Host part of AWS_LAMBDA_RUNTIME_API as seen from inside a container. */
  readonly advertise: string;
  /** Extra `docker run` arguments that make `advertise` resolvable. */
  readonly runArgs: readonly string[];
  /**
   * How the Runtime API tells its container from anyone else: by the container's own address (on the
   * bridge, each container's source address is its own), or, where the engine's network is behind a
   * proxy (Docker Desktop), only by the connection coming from this machine.
   */
  readonly peers: 'container-address' | 'loopback';
}

let pending: Promise<RuntimeHost> | undefined;

/** `172.17.0.0/16` → `172.17.0.1`: Docker gives the bridge's first address to the host. */
export function firstAddress(cidr: string): string {
  const [base] = cidr.split('/');
  const o = base.split('.').map(Number);
  o[3] += 1;
  return o.join('.');
}

/** Whether this machine can listen on `address` (it is one of ours, even on an interface that is down). */
function canBind(address: string): Promise<boolean> {
  return new Promise(resolve => {
    const probe = net.createServer();
    probe.once('error', () => resolve(false));
    probe.listen(0, address, () => probe.close(() => resolve(true)));
  });
}

/**
 * On Linux this machine holds the default bridge's gateway address (docker0, 172.17.0.1): bind there, so
 * the Runtime API is reachable from containers and not from the network. (Node.js lists no address for
 * docker0 while no container runs, so the test is whether we can bind it.) Elsewhere (Docker Desktop's VM,
 * a remote engine) the bridge is not ours: bind loopback and let containers use host.docker.internal.
 */
export function runtimeHost(): Promise<RuntimeHost> {
  pending ??= (async () => {
    const bridge = await bridgeNetwork();
    for (const address of [...bridge.gateways, ...bridge.subnets.map(firstAddress)]) {
      if (await canBind(address)) return { bind: address, advertise: address, runArgs: [], peers: 'container-address' };
    }
    return { bind: '127.0.0.1', advertise: 'host.docker.internal', runArgs: ['--add-host', 'host.docker.internal:host-gateway'], peers: 'loopback' };
  })();
  return pending;
}
