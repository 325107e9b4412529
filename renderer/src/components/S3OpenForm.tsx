/** "Open S3 store": bucket, prefix, region, endpoint and profile; credentials come from the AWS chain on the explorer's machine, never from here. */
import { useState } from "react";
import { useS3Load } from "../state/s3Load";
import { useStoreLoad } from "../state/storeLoad";
import type { S3Fields } from "../state/s3Load";
import { LoadProgressBar } from "./LoadProgressBar";

const EMPTY: S3Fields = { bucket: "", prefix: "", region: "", endpoint: "", profile: "" };

export function S3OpenForm() {
  const [fields, setFields] = useState<S3Fields>(EMPTY);
  const opening = useS3Load((s) => s.opening);
  const progress = useStoreLoad((s) => s.progress);
  const open = useS3Load((s) => s.open);
  const field = (name: keyof S3Fields, label: string, placeholder: string) => (
    <label className="s3-field">
      <span className="small muted">{label}</span>
      <input className="mono" placeholder={placeholder} value={fields[name]} onChange={(e) => setFields({ ...fields, [name]: e.target.value })} onKeyDown={(e) => e.key === "Enter" && fields.bucket && !opening && void open(fields)} data-testid={`s3-${name}`} />
    </label>
  );
  return (
    <section className="s3-open" data-testid="s3-open">
      <h2>Open S3 store</h2>
      <p className="muted small">A store written by opslog-s3, opened read-only. Credentials come from the AWS chain where the explorer runs (environment, ~/.aws, profiles).</p>
      <div className="toolbar">
        {field("bucket", "Bucket", "my-bucket")}
        {field("prefix", "Prefix", "opslog/my-store")}
        {field("region", "Region", "us-east-1")}
        {field("endpoint", "Endpoint", "https://… (S3-compatible servers)")}
        {field("profile", "Profile", "default")}
        <button className="primary" disabled={!fields.bucket.trim() || opening} onClick={() => void open(fields)} data-testid="s3-open-button">{opening ? "Opening…" : "Open"}</button>
      </div>
      {opening ? <LoadProgressBar progress={progress} /> : null}
    </section>
  );
}
