// The desktop window's boundary, in plain Node (the Electron binary is
// missing here): the app:// scheme serves the renderer's files with the
// Content-Security-Policy header (frame-ancestors included, which the meta
// tag cannot carry) and nothing outside its folder; the session refuses every
// permission, permission check and device request and adds the CSP header;
// main.ts wires exactly these.
import { mkdir, symlink, writeFile } from "node:fs/promises";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CONTENT_SECURITY_POLICY } from "../csp.js";
import { APP_SCHEME_PRIVILEGES, APP_URL, appProtocolHandler, lockDownSession } from "../window-security.js";
import type { LockableSession } from "../window-security.js";
import { removeDir, tempDir } from "./helpers.js";

const root = new URL("../..", import.meta.url).pathname;
let work: string;
let renderer: string;
beforeAll(async () => {
  work = await tempDir("window-security");
  renderer = join(work, "renderer");
  await mkdir(join(renderer, "assets"), { recursive: true });
  await writeFile(join(renderer, "index.html"), "<!doctype html><title>opslog explorer</title>");
  await writeFile(join(renderer, "assets/index-abc.js"), "console.log(1)");
  await writeFile(join(work, "secret.txt"), "outside the renderer");
  await symlink(join(work, "secret.txt"), join(renderer, "assets/link.txt"));
});
afterAll(async () => {
  await removeDir(work);
});

describe("the app:// scheme", () => {
  const get = (url: string, method = "GET") => appProtocolHandler(renderer)(new Request(url, { method }));

  it("serves the renderer's page and assets with the CSP header, frame-ancestors 'none' included", async () => {
    for (const [url, type, body] of [
      [APP_URL, "text/html; charset=utf-8", "<!doctype html><title>opslog explorer</title>"],
      ["app://explorer/", "text/html; charset=utf-8", "<!doctype html><title>opslog explorer</title>"],
      ["app://explorer/assets/index-abc.js", "text/javascript", "console.log(1)"],
    ]) {
      const res = await get(url);
      expect(res.status, url).toBe(200);
      expect(res.headers.get("content-type")).toBe(type);
      expect(await res.text()).toBe(body);
      expect(res.headers.get("content-security-policy")).toBe(CONTENT_SECURITY_POLICY);
      expect(res.headers.get("content-security-policy")).toContain("frame-ancestors 'none'");
    }
  });

  it("serves nothing outside the renderer's folder: .. paths, encoded ones, links out, other hosts, writes", async () => {
    for (const url of ["app://explorer/../secret.txt", "app://explorer/%2e%2e/secret.txt", "app://explorer/assets/..%2f..%2fsecret.txt", "app://explorer/assets/link.txt", "app://explorer/%E0%A4%A", "app://elsewhere/index.html", "app://explorer/missing.js"]) {
      const res = await get(url);
      expect(res.status, url).toBe(404);
      expect(await res.text()).not.toContain("outside the renderer");
    }
    expect((await get(APP_URL, "POST")).status).toBe(404);
  });

  it("is registered as a standard, secure scheme of the app's own", () => {
    expect(APP_SCHEME_PRIVILEGES).toEqual([{ scheme: "app", privileges: { standard: true, secure: true } }]);
    expect(APP_URL).toBe("app://explorer/index.html");
  });
});

describe("the window's session", () => {
  function fakeSession() {
    const seen: { request?: Parameters<LockableSession["setPermissionRequestHandler"]>[0]; check?: (...a: unknown[]) => boolean; device?: (d: unknown) => boolean; headers?: Parameters<LockableSession["webRequest"]["onHeadersReceived"]>[0] } = {};
    const session: LockableSession = {
      setPermissionRequestHandler: (h) => void (seen.request = h),
      setPermissionCheckHandler: (h) => void (seen.check = h),
      setDevicePermissionHandler: (h) => void (seen.device = h),
      webRequest: { onHeadersReceived: (l) => void (seen.headers = l) },
    };
    return { session, seen };
  }

  it("refuses every permission request, permission check and device (HID, serial, USB)", () => {
    const { session, seen } = fakeSession();
    lockDownSession(session);
    const answers: boolean[] = [];
    for (const permission of ["media", "notifications", "clipboard-read", "hid", "serial", "usb", "fileSystem"]) seen.request!(null, permission, (granted) => answers.push(granted));
    expect(answers).toEqual([false, false, false, false, false, false, false]);
    expect(seen.check!(null, "clipboard-read", "app://explorer", {})).toBe(false);
    for (const deviceType of ["hid", "serial", "usb"]) expect(seen.device!({ deviceType, origin: "app://explorer", device: {} })).toBe(false);
  });

  it("adds the CSP header to every response, keeping the others", () => {
    const { session, seen } = fakeSession();
    lockDownSession(session);
    let out: Record<string, string[]> | undefined;
    seen.headers!({ responseHeaders: { "content-type": ["text/html"] } }, (r) => (out = r.responseHeaders));
    expect(out).toEqual({ "content-type": ["text/html"], "Content-Security-Policy": [CONTENT_SECURITY_POLICY] });
  });

  it("is what main.ts sets up: the app:// page, this session lock-down, IPC answering only that page", () => {
    const main = readFileSync(join(root, "electron/main.ts"), "utf-8");
    expect(main).toContain("protocol.registerSchemesAsPrivileged(APP_SCHEME_PRIVILEGES)");
    expect(main).toContain("protocol.handle(APP_SCHEME, appProtocolHandler(rendererDir))");
    expect(main).toContain("lockDownSession(session.defaultSession)");
    expect(main).toContain("registerIpc(ipcMain, handlersFor, APP_URL)");
    expect(main).not.toMatch(/setPermission\w*Handler|onHeadersReceived/); // in one place: window-security.ts
  });
});
