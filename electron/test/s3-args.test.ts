import { describe, expect, it } from "vitest";
import { parseCommandLine, UsageError } from "../args.js";

describe("the command line, for S3 stores", () => {
  it("takes s3://bucket/prefix with --region, --endpoint and --profile, folded into the address", () => {
    expect(parseCommandLine(["s3://my-bucket/teams/a/", "--endpoint", "http://127.0.0.1:4568", "--region=eu-west-1", "--profile", "ops"]).dir).toBe("s3://my-bucket/teams/a?region=eu-west-1&endpoint=http%3A%2F%2F127.0.0.1%3A4568&profile=ops");
    expect(parseCommandLine(["s3://my-bucket"]).dir).toBe("s3://my-bucket");
  });

  it("refuses the S3 flags without an s3:// store, and an endpoint that is not an http(s) URL", () => {
    expect(() => parseCommandLine(["/data/store", "--region", "eu-west-1"])).toThrow(UsageError);
    expect(() => parseCommandLine(["--profile", "ops"])).toThrow(/--profile goes with an S3 store/);
    expect(() => parseCommandLine(["s3://my-bucket/a", "--endpoint", "localhost:9000"])).toThrow(/not an http\(s\) URL/);
  });
});
