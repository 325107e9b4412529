// Preloaded into electronegativity by its test (NODE_OPTIONS=--import): the
// scanner fetches translations over the network with got 11 on every run.
// Offline, that fetch times out and got retries it, and under Node 26 got
// 11's retry after a timeout throws from p-cancelable ("The `onCancel`
// handler was attached after the promise settled"), killing the scan. Here
// the fetch fails at once instead, which electronegativity already handles.
import Module from "node:module";

const load = Module._load;
Module._load = function (request, parent, isMain) {
  if (request === "got") return () => Promise.reject(new Error("offline: the test does not fetch translations"));
  return load.call(this, request, parent, isMain);
};
