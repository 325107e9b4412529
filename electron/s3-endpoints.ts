/**
 * Where the machine's AWS credentials may go. Every S3 request is signed with
 * them (access key id, session token), so an S3 address that names its own
 * endpoint (`s3://b/p?endpoint=http://…`) would send them anywhere: only the
 * person at the machine may name a non-AWS endpoint. They do so on the
 * command line (--endpoint, or an s3:// address with ?endpoint=), in the
 * desktop app's own window (its IPC comes from the person at the screen), or
 * in the allow-list of the app's settings file (`s3Endpoints` in
 * settings.json, which no call writes). A browser-mode caller holding the
 * token can name AWS itself (no endpoint, or an https *.amazonaws.com one),
 * or an endpoint so allowed; any other open is refused before a request is
 * sent, with a message that says how to allow it.
 */
import { isS3Url, parseS3Url } from "../engine/src/s3/location.js";

/** An open refused because its endpoint was not chosen by the person at the machine (answered "unauthorized"). */
export class EndpointNotAllowed extends Error {}

/** The endpoint as compared: scheme, host and port (lower case, default ports dropped by URL), and the path without a trailing slash. */
export function endpointKey(endpoint: string): string {
  const url = new URL(endpoint);
  return `${url.protocol}//${url.host}${url.pathname.replace(/\/+$/, "")}`;
}

/** An endpoint of AWS itself: https to a host under amazonaws.com (or .com.cn): the credentials' own home. */
export function isAwsEndpoint(endpoint: string): boolean {
  const url = new URL(endpoint);
  return url.protocol === "https:" && /(^|\.)amazonaws\.com(\.cn)?$/.test(url.hostname);
}

export interface EndpointPolicyOptions {
  /** The desktop app: an open asked for over its IPC comes from the person at the machine, so it may name any endpoint */
  callersChoose: boolean;
  /** The allow-list of the app's settings file, read at each open (an edit needs no restart) */
  allowList: () => Promise<string[]>;
  /** Where that list lives, for the refusal's message */
  settingsFile: string;
}

export class EndpointPolicy {
  /** Endpoints named on the command line of this run */
  private named = new Set<string>();

  constructor(private options: EndpointPolicyOptions) {}

  /** The command line named this address: its endpoint, if any, is the user's choice. */
  nameOnCommandLine(address: string): void {
    if (!isS3Url(address)) return;
    const { endpoint } = parseS3Url(address);
    if (endpoint) this.named.add(endpointKey(endpoint));
  }

  /** Throws EndpointNotAllowed when a caller's open would send credentials to an endpoint nobody at the machine chose. */
  async check(address: string): Promise<void> {
    if (!isS3Url(address) || this.options.callersChoose) return;
    const { endpoint } = parseS3Url(address);
    if (!endpoint || isAwsEndpoint(endpoint)) return;
    const key = endpointKey(endpoint);
    if (this.named.has(key)) return;
    const allowed = await this.options.allowList();
    if (allowed.some((e) => URL.canParse(e) && endpointKey(e) === key)) return;
    throw new EndpointNotAllowed(
      `Refused: this open would send this machine's AWS credentials to ${key}, an endpoint that is not AWS and that nobody at this machine chose. ` +
        `To allow it, start the explorer with --endpoint ${key} (or with this s3:// address on its command line), ` +
        `or add "${key}" to "s3Endpoints" in ${this.options.settingsFile} (e.g. {"s3Endpoints": ["${key}"]}).`,
    );
  }
}
