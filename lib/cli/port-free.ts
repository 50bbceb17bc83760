// A port already taken is reported before the app is read and its images are built (which can take minutes), not
// after. The port is probed and released: a process that takes it in between still gets listen()'s own error.
import * as net from 'net';

export async function assertPortFree(port: number, host: string): Promise<void> {
  if (port === 0) return; // any free port
  await new Promise<void>((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', (e: NodeJS.ErrnoException) => reject(new Error(e.code === 'EADDRINUSE'
      ? `port ${port} on ${host} is already in use. Stop what listens there, or pass --port with another port (0: any free port).`
      : `cannot listen on ${host}:${port}: ${e.message}`)));
    probe.listen(port, host, () => probe.close(() => resolve()));
  });
}
