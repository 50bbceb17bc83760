// The container's own addresses, for the Runtime API's peer check, and when the engine started it.
import { containerAddresses } from '../../docker';

/**
 * The container's own addresses, for the Runtime API's peer check. Looked up when a connection arrives
 * (the container then runs, or it is not ours calling); kept once known, asked again while unknown.
 */
export class ContainerAddress {
  private known: Promise<{ id: string; addresses: string[]; startedAt?: number } | undefined> | undefined;
  constructor(private readonly name: string) {}

  private lookup() {
    this.known ??= containerAddresses(this.name).then(c => {
      if (!c || c.addresses.length === 0) this.known = undefined;
      return c;
    });
    return this.known;
  }

  async is(address: string): Promise<boolean> {
    return (await this.lookup())?.addresses.includes(address) ?? false;
  }

  async id(): Promise<string | undefined> {
    return (await this.lookup())?.id;
  }

  async startedAt(): Promise<number | undefined> {
    return (await this.lookup())?.startedAt;
  }

  /** Asks until the container runs and has its addresses (or `gone` says it never will, or 30 s pass). */
  async waitKnown(gone: () => boolean): Promise<void> {
    for (const until = Date.now() + 30_000; Date.now() < until && !gone();) {
      if ((await this.lookup())?.addresses.length) return;
      await delay(50);
    }
  }
}

function delay(ms: number): Promise<void> {
  return new Promise(r => setTimeout(r, ms).unref());
}
