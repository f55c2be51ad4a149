/**
 * A small Docker registry (the read side of the v2 API) on 127.0.0.1 for pull tests: it serves
 * one image, exported from a lab engine, under any name and tag given. Engines pull from
 * loopback registries over plain HTTP. Blobs are sent slowly, in small chunks, so that a test
 * can watch a pull's progress.
 */
import { createHash, randomBytes } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { gzipSync } from "node:zlib";

import type Docker from "dockerode";

const MANIFEST_TYPE = "application/vnd.docker.distribution.manifest.v2+json";
const CHUNK_BYTES = 64 * 1024;
const CHUNK_DELAY_MS = 40;
const TAR_BLOCK = 512;
/** A layer no engine has yet, so every pull downloads it (slowly): about two seconds. */
const UNIQUE_LAYER_BYTES = 3 * 1024 * 1024;

type TBlob = { digest: string; body: Buffer };

function sha256(body: Buffer): string {
  return `sha256:${createHash("sha256").update(body).digest("hex")}`;
}

/** The files of an uncompressed tar archive, by name. */
export function untar(archive: Buffer): Map<string, Buffer> {
  const files = new Map<string, Buffer>();
  let offset = 0;
  while (offset + TAR_BLOCK <= archive.length) {
    const header = archive.subarray(offset, offset + TAR_BLOCK);
    const name = header.subarray(0, 100).toString("utf8").replace(/\0.*$/s, "");
    if (name === "") {
      break;
    }
    const size = Number.parseInt(header.subarray(124, 136).toString("utf8").trim() || "0", 8);
    const body = archive.subarray(offset + TAR_BLOCK, offset + TAR_BLOCK + size);
    files.set(name, Buffer.from(body));
    offset += TAR_BLOCK + Math.ceil(size / TAR_BLOCK) * TAR_BLOCK;
  }

  return files;
}

/** A one-file tar archive (ustar), for the layer only this registry serves. */
export function tarOf(name: string, body: Buffer): Buffer {
  const header = Buffer.alloc(TAR_BLOCK);
  const field = (text: string, offset: number, length: number) =>
    header.write(text.padEnd(length, "\0").slice(0, length), offset, "ascii");
  field(name, 0, 100);
  field("0000644", 100, 8);
  field("0000000", 108, 8);
  field("0000000", 116, 8);
  field(body.length.toString(8).padStart(11, "0"), 124, 12);
  field(
    Math.floor(Date.now() / 1000)
      .toString(8)
      .padStart(11, "0"),
    136,
    12,
  );
  field("        ", 148, 8);
  field("0", 156, 1);
  field("ustar", 257, 6);
  field("00", 263, 2);
  const checksum = header.reduce((sum, byte) => sum + byte, 0);
  field(`${checksum.toString(8).padStart(6, "0")}\0 `, 148, 8);
  const padding = Buffer.alloc((TAR_BLOCK - (body.length % TAR_BLOCK)) % TAR_BLOCK);

  return Buffer.concat([header, body, padding, Buffer.alloc(TAR_BLOCK * 2)]);
}

type TImageConfig = {
  rootfs: { diff_ids: string[] };
  history?: { created: string; created_by: string }[];
};

/** The image plus one layer of random bytes, which no engine has, so pulls must fetch it. */
function withUniqueLayer(config: Buffer, layers: Buffer[]) {
  const layer = tarOf("berth-test/pull.bin", randomBytes(UNIQUE_LAYER_BYTES));
  const parsed = JSON.parse(config.toString("utf8")) as TImageConfig;
  parsed.rootfs.diff_ids.push(sha256(layer));
  parsed.history?.push({ created: new Date().toISOString(), created_by: "berth test layer" });

  return { config: Buffer.from(JSON.stringify(parsed)), layers: [...layers, layer] };
}

async function exportImage(docker: Docker, image: string): Promise<Map<string, Buffer>> {
  const stream = await docker.getImage(image).get();
  const chunks: Buffer[] = [];
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    chunks.push(chunk);
  }

  return untar(Buffer.concat(chunks));
}

type TSavedManifest = { Config: string; Layers: string[] }[];

function buildImage(files: Map<string, Buffer>) {
  const saved = JSON.parse(files.get("manifest.json")?.toString("utf8") ?? "[]") as TSavedManifest;
  const entry = saved[0];
  const config = entry ? files.get(entry.Config) : undefined;
  if (!entry || !config) {
    throw new Error("the exported image has no manifest.json or config");
  }
  const image = withUniqueLayer(
    config,
    entry.Layers.map((name) => files.get(name) ?? Buffer.alloc(0)),
  );
  const layers = image.layers.map((tar) => {
    const body = gzipSync(tar);

    return { digest: sha256(body), body };
  });
  const configBlob = { digest: sha256(image.config), body: image.config };
  const manifest = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: MANIFEST_TYPE,
      config: {
        mediaType: "application/vnd.docker.container.image.v1+json",
        size: image.config.length,
        digest: configBlob.digest,
      },
      layers: layers.map((layer) => ({
        mediaType: "application/vnd.docker.image.rootfs.diff.tar.gzip",
        size: layer.body.length,
        digest: layer.digest,
      })),
    }),
  );
  const blobs = new Map<string, TBlob>([configBlob, ...layers].map((blob) => [blob.digest, blob]));

  return { manifest, manifestDigest: sha256(manifest), blobs };
}

async function sendSlowly(response: http.ServerResponse, body: Buffer): Promise<void> {
  for (let offset = 0; offset < body.length && !response.destroyed; offset += CHUNK_BYTES) {
    response.write(body.subarray(offset, offset + CHUNK_BYTES));
    await new Promise((resolve) => setTimeout(resolve, CHUNK_DELAY_MS));
  }
  response.end();
}

export type TTestRegistry = {
  /** `127.0.0.1:<port>`: prefix image names with it. */
  host: string;
  /** The tags it knows; any other tag answers "manifest unknown". */
  tags: ReadonlySet<string>;
  close: () => Promise<void>;
};

/** Serves `image` (exported from `docker`) as every repository, under the given tags. */
export async function startTestRegistry(
  docker: Docker,
  image: string,
  tags: string[],
): Promise<TTestRegistry> {
  const { manifest, manifestDigest, blobs } = buildImage(await exportImage(docker, image));
  const knownTags = new Set(tags);
  const server = http.createServer((request, response) => {
    const url = request.url ?? "/";
    const isHead = request.method === "HEAD";
    const manifestMatch = /^\/v2\/.+\/manifests\/([^/]+)$/.exec(url);
    const blobMatch = /^\/v2\/.+\/blobs\/(sha256:[0-9a-f]{64})$/.exec(url);
    if (url === "/v2/" || url === "/v2") {
      response.writeHead(200, { "content-type": "application/json" }).end("{}");
    } else if (manifestMatch) {
      const reference = manifestMatch[1] ?? "";
      if (!knownTags.has(reference) && reference !== manifestDigest) {
        const body = JSON.stringify({
          errors: [{ code: "MANIFEST_UNKNOWN", message: "manifest unknown" }],
        });
        response.writeHead(404, { "content-type": "application/json" }).end(body);

        return;
      }
      response.writeHead(200, {
        "content-type": MANIFEST_TYPE,
        "content-length": manifest.length,
        "docker-content-digest": manifestDigest,
      });
      response.end(isHead ? undefined : manifest);
    } else if (blobMatch) {
      const blob = blobs.get(blobMatch[1] ?? "");
      if (!blob) {
        response.writeHead(404).end();

        return;
      }
      response.writeHead(200, {
        "content-type": "application/octet-stream",
        "content-length": blob.body.length,
        "docker-content-digest": blob.digest,
      });
      if (isHead) {
        response.end();
      } else {
        void sendSlowly(response, blob.body);
      }
    } else {
      response.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;

  return {
    host: `127.0.0.1:${port}`,
    tags: knownTags,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
