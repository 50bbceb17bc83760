// Who may drive the local Invoke API. It runs functions with the user's AWS credentials, so a web page
// must not be able to: neither cross-site (a "simple" POST needs no preflight, and its answer need not
// be readable to do harm) nor through DNS rebinding (a page whose name now resolves to 127.0.0.1 is
// "same-origin" to the browser, but still sends its own name in Host).
// The SDKs, the AWS CLI and curl send no Origin and address the endpoint by an IP literal or localhost;
// browsers send Origin with every POST, cross-site or not. So: no Origin, and a Host that is localhost,
// an IP literal, this machine's name, or one the user allowed.
import * as net from 'net';
import * as os from 'os';

/** Why a request is refused (an AccessDeniedException message), or undefined when it may run. */
export function foreignRequestReason(headers: { host?: string; origin?: string | string[] }, allowedHosts: readonly string[] = []):
string | undefined {
  if (headers.origin !== undefined) {
    return `requests from web pages are refused (Origin: ${headers.origin}): this endpoint runs functions with your AWS credentials. Call it from the AWS SDK, the AWS CLI or curl.`;
  }
  const host = hostnameOf(headers.host ?? '');
  if (host === undefined) return 'a request needs a Host header naming this endpoint (localhost or an IP address).';
  const allowed = host === 'localhost' || net.isIP(host) !== 0
    || host === os.hostname().toLowerCase()
    || allowedHosts.some(h => h.toLowerCase() === host);
  if (!allowed) {
    return `Host ${headers.host} is not a name of this endpoint (a DNS-rebinding page would send its own name). `
      + 'Use localhost or an IP address, or allow the name with --allow-host.';
  }
  return undefined;
}

/** `[::1]:3001` → `::1`; `Example.com:3001` → `example.com`; undefined when empty or malformed. */
export function hostnameOf(host: string): string | undefined {
  const h = host.trim().toLowerCase();
  if (!h) return undefined;
  const v6 = /^\[([0-9a-f:.]+)\](?::\d+)?$/.exec(h);
  if (v6) return v6[1];
  const m = /^([a-z0-9.-]+)(?::\d+)?$/.exec(h);
  return m ? m[1].replace(/\.$/, '') : undefined;
}

/** Whether a listen address keeps the endpoint on this machine. */
export function isLoopbackAddress(address: string): boolean {
  return address === 'localhost' || address === '::1' || /^127\./.test(address);
}
