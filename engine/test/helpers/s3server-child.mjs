// s3rver in a process of its own, run with --openssl-legacy-provider: s3rver
// encrypts its ListObjectsV2 continuation tokens with DES, which OpenSSL 3
// keeps in its legacy provider, so without it every second page of a listing
// fails. Prints "ready <port>", then one line per request: "req <method> <url> <Range or -> <If-None-Match or ->".
// argv: <data-directory> <bucket>
import S3rver from "s3rver";

const [directory, bucket] = process.argv.slice(2);
const server = new S3rver({ port: 0, address: "127.0.0.1", silent: true, directory, configureBuckets: [{ name: bucket }] });
const { port } = await server.run();
server.httpServer.prependListener("request", (req) => process.stdout.write(`req ${req.method} ${req.url} ${req.headers.range?.replace(/\s/g, "") ?? "-"} ${req.headers["if-none-match"]?.replace(/\s/g, "") ?? "-"}\n`));
process.stdout.write(`ready ${port}\n`);
// The parent gone (a crashed test run), the server goes too.
process.stdin.on("end", () => process.exit(0));
process.stdin.resume();
