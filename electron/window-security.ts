/**
 * What the desktop app's windows may load and ask for, in plain Node (Electron
 * comes in as narrow interfaces, so tests run without its binary):
 * - The renderer is served from `app://explorer/`, a privileged scheme of the
 *   app's own (standard, secure), not from file://: every answer carries the
 *   Content-Security-Policy header (electron/csp.ts, frame-ancestors included,
 *   which a meta tag cannot carry), only files under the renderer's folder
 *   are served, and file:// needs no extra privileges (the
 *   grantFileProtocolExtraPrivileges fuse is off, build/electron-builder.json).
 * - The session refuses every permission, permission check and device
 *   (HID, serial, USB) request, and adds the CSP header to any other response.
 */
import { readFile, realpath } from "node:fs/promises";
import { extname, join, relative, resolve, sep } from "node:path";
import { CONTENT_SECURITY_POLICY } from "./csp.js";

export const APP_SCHEME = "app";
export const APP_HOST = "explorer";
/** The page every window shows; IPC answers only a main frame showing it (ipc.ts) */
export const APP_URL = `${APP_SCHEME}://${APP_HOST}/index.html`;

/** For protocol.registerSchemesAsPrivileged, before the app is ready: a standard, secure origin of its own (no CORS, no fetch from elsewhere). */
export const APP_SCHEME_PRIVILEGES = [{ scheme: APP_SCHEME, privileges: { standard: true, secure: true } }];

const TYPES: Record<string, string> = { ".html": "text/html; charset=utf-8", ".js": "text/javascript", ".css": "text/css", ".svg": "image/svg+xml", ".png": "image/png", ".json": "application/json", ".ico": "image/x-icon", ".woff2": "font/woff2" };

/** The headers of every answer of the app's scheme */
const HEADERS = { "content-security-policy": CONTENT_SECURITY_POLICY, "x-content-type-options": "nosniff", "cache-control": "no-cache" };

/**
 * protocol.handle's handler for `app://explorer/…`: the file under `root`
 * that the path names (`/` is index.html), with the CSP header; 404 for
 * anything else, a path leaving root (links resolved) or another host.
 */
export function appProtocolHandler(root: string): (request: Request) => Promise<Response> {
  const base = resolve(root);
  return async (request) => {
    const notFound = () => new Response("Not found", { status: 404, headers: { ...HEADERS, "content-type": "text/plain; charset=utf-8" } });
    const url = new URL(request.url);
    if (url.protocol !== `${APP_SCHEME}:` || url.host !== APP_HOST || (request.method !== "GET" && request.method !== "HEAD")) return notFound();
    let path: string;
    try {
      path = join(base, decodeURIComponent(url.pathname === "/" ? "/index.html" : url.pathname));
    } catch {
      return notFound(); // bad percent-encoding
    }
    try {
      const real = await realpath(path);
      const realBase = await realpath(base);
      const inside = relative(realBase, real);
      if (inside === "" || inside.startsWith("..") || inside.startsWith(sep)) return notFound();
      const body = await readFile(real);
      return new Response(request.method === "HEAD" ? null : body, { status: 200, headers: { ...HEADERS, "content-type": TYPES[extname(real)] ?? "application/octet-stream" } });
    } catch {
      return notFound();
    }
  };
}

/** What this needs of an Electron session. */
export interface LockableSession {
  setPermissionRequestHandler(handler: (contents: unknown, permission: string, callback: (granted: boolean) => void) => void): void;
  setPermissionCheckHandler(handler: (...args: unknown[]) => boolean): void;
  setDevicePermissionHandler(handler: (details: unknown) => boolean): void;
  webRequest: {
    onHeadersReceived(listener: (details: { responseHeaders?: Record<string, string[]> }, callback: (response: { responseHeaders?: Record<string, string[]> }) => void) => void): void;
  };
}

/** Refuse every permission and device; the CSP header on every response the session sees (the app's scheme sets its own). */
export function lockDownSession(session: LockableSession): void {
  // The explorer needs no camera, notifications, clipboard reads, HID, serial or USB devices...: refuse all.
  session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
  session.setDevicePermissionHandler(() => false);
  session.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, "Content-Security-Policy": [CONTENT_SECURITY_POLICY] } });
  });
}
