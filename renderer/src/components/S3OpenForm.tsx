/** "Open S3 store": bucket, prefix, region, endpoint and profile; credentials come from the AWS chain on the explorer's machine, never from here. Opens in the open screen's mode (read-only, or agent: S3 stores have no writer mode). */
import { useState } from "react";
import type { SessionMode } from "../../../electron/contract";
import { useS3Load } from "../state/s3Load";
import { useStoreLoad } from "../state/storeLoad";
import { confirmMode } from "../state/openFlow";
import type { S3Fields } from "../state/s3Load";
import { LoadProgressBar } from "./LoadProgressBar";

const EMPTY: S3Fields = { bucket: "", prefix: "", region: "", endpoint: "", profile: "" };

export function S3OpenForm({ mode, agentId, blocked }: { mode: SessionMode; agentId: string; blocked: boolean }) {
  const [fields, setFields] = useState<S3Fields>(EMPTY);
  const opening = useS3Load((s) => s.opening);
  const progress = useStoreLoad((s) => s.progress);
  const openS3 = useS3Load((s) => s.open);
  const ready = fields.bucket.trim() !== "" && !opening && !blocked;
  const open = () => confirmMode(mode, agentId, () => openS3(fields, mode, agentId));
  const field = (name: keyof S3Fields, label: string, placeholder: string) => (
    <label className="s3-field">
      <span className="small muted">{label}</span>
      <input className="mono" placeholder={placeholder} value={fields[name]} onChange={(e) => setFields({ ...fields, [name]: e.target.value })} onKeyDown={(e) => e.key === "Enter" && ready && open()} data-testid={`s3-${name}`} />
    </label>
  );
  return (
    <section className="s3-open" data-testid="s3-open">
      <h2>Open S3 store</h2>
      <p className="muted small">A store written by opslog-s3, opened in the mode above: read-only only lists and reads; agent mode writes through opslog-s3 as an agent of its own. Credentials come from the AWS chain where the explorer runs (environment, ~/.aws, profiles).</p>
      <div className="toolbar">
        {field("bucket", "Bucket", "my-bucket")}
        {field("prefix", "Prefix", "opslog/my-store")}
        {field("region", "Region", "us-east-1")}
        {field("endpoint", "Endpoint", "https://… (S3-compatible servers)")}
        {field("profile", "Profile", "default")}
        <button className="primary" disabled={!ready} onClick={open} data-testid="s3-open-button">{opening ? "Opening…" : "Open"}</button>
      </div>
      {opening ? <LoadProgressBar progress={progress} /> : null}
    </section>
  );
}
