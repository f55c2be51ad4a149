/**
 * A service's `volumes:`, in short (`source:target[:ro]`) or long form, as named volumes or
 * bind mounts. Anonymous volumes and relative or home paths are refused.
 */
import { text } from "./scalars";
import { type TRecord, type TReport, type TServiceContext, isRecord, typeName } from "./types";

type TVolumeInput =
  | { kind: "volume"; name: string; mountPath: string; readOnly: boolean }
  | { kind: "bind"; hostPath: string; mountPath: string; readOnly: boolean };

const RELATIVE_SOURCE =
  "relative and home paths refer to the machine that runs compose: use a named volume, or an " +
  "absolute path on the nodes";
const ANONYMOUS_VOLUME = "anonymous volumes are not supported: give the volume a name (data:/path)";

function volumeFrom(
  source: string,
  target: string,
  readOnly: boolean,
  path: string,
  report: TReport,
): TVolumeInput | undefined {
  if (source === "") {
    report.unsupported(path, ANONYMOUS_VOLUME);

    return undefined;
  }
  if (source.startsWith(".") || source.startsWith("~")) {
    report.unsupported(path, RELATIVE_SOURCE);

    return undefined;
  }
  if (source.startsWith("/")) {
    report.note(path, "a bind mount of a node's directory: importing it needs the admin role");

    return { kind: "bind", hostPath: source, mountPath: target, readOnly };
  }

  return { kind: "volume", name: source, mountPath: target, readOnly };
}

/** `data:/var/lib/db`, `data:/var/lib/db:ro`, `/srv/www:/usr/share/nginx/html:ro`. */
function readShortVolume(spec: string, path: string, report: TReport): TVolumeInput | undefined {
  const parts = spec.split(":");
  if (parts.length === 1) {
    report.unsupported(path, ANONYMOUS_VOLUME);

    return undefined;
  }
  if (parts.length > 3) {
    report.error(path, `"${spec}" is not a volume: use source:target[:ro]`);

    return undefined;
  }
  const [source = "", target = "", mode = "rw"] = parts;
  const options = mode.split(",");
  for (const option of options.filter((option) => option !== "ro" && option !== "rw")) {
    report.unsupported(path, `the mount option "${option}" is not supported; only ro and rw`);
  }

  return volumeFrom(source, target, options.includes("ro"), path, report);
}

const LONG_VOLUME_FIELDS = new Set(["type", "source", "target", "read_only"]);

function readLongVolume(volume: TRecord, path: string, report: TReport): TVolumeInput | undefined {
  for (const key of Object.keys(volume).filter((key) => !LONG_VOLUME_FIELDS.has(key))) {
    report.unsupported(`${path}.${key}`, "Berth mounts have a source, a target and read_only");
  }
  const type = volume.type ?? "volume";
  if (type !== "volume" && type !== "bind") {
    const kind = typeof type === "string" ? type : typeName(type);
    report.unsupported(`${path}.type`, `${kind} mounts are not supported: use volume or bind`);

    return undefined;
  }
  const source =
    volume.source === undefined ? "" : (text(volume.source, `${path}.source`, report) ?? "");
  const target = text(volume.target, `${path}.target`, report);
  if (target === undefined) {
    return undefined;
  }

  return volumeFrom(source, target, volume.read_only === true, path, report);
}

/** `volumes:` in short (`data:/path:ro`) or long form, as named volumes or binds. */
export function readVolumes(value: unknown, ctx: TServiceContext): void {
  const path = `${ctx.path}.volumes`;
  if (!Array.isArray(value)) {
    ctx.report.error(path, 'must be a list, e.g. ["data:/var/lib/data"]');

    return;
  }
  const volumes: TVolumeInput[] = [];
  value.forEach((item, index) => {
    const itemPath = `${path}.${index}`;
    const volume = isRecord(item)
      ? readLongVolume(item, itemPath, ctx.report)
      : readShortVolume(text(item, itemPath, ctx.report) ?? "", itemPath, ctx.report);
    if (volume) {
      volumes.push(volume);
    }
  });
  ctx.candidate.volumes = volumes;
}
