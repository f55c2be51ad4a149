/**
 * Image references as the engine resolves them, so that the scheduler's "image present" check
 * agrees with what `docker run` would find: `nginx`, `nginx:latest`, `library/nginx` and
 * `docker.io/library/nginx:latest` are one image; a digest names an image whatever its tag.
 */

const DEFAULT_DOMAIN = "docker.io";
const LEGACY_DOMAIN = "index.docker.io";
const OFFICIAL_NAMESPACE = "library";
const DEFAULT_TAG = "latest";
const IMAGE_ID = /^(?:sha256:)?([a-f0-9]{64})$/;

/** Whether the first path component names a registry, as Docker decides it. */
function isDomain(component: string): boolean {
  return component.includes(".") || component.includes(":") || component === "localhost";
}

/** `[domain, path]` with Docker Hub's defaults filled in. */
function splitName(name: string): [string, string] {
  const slash = name.indexOf("/");
  const first = slash < 0 ? "" : name.slice(0, slash);
  if (slash >= 0 && isDomain(first)) {
    const domain = first === LEGACY_DOMAIN ? DEFAULT_DOMAIN : first;
    const path = name.slice(slash + 1);
    const isOfficial = domain === DEFAULT_DOMAIN && !path.includes("/");

    return [domain, isOfficial ? `${OFFICIAL_NAMESPACE}/${path}` : path];
  }

  return [DEFAULT_DOMAIN, slash < 0 ? `${OFFICIAL_NAMESPACE}/${name}` : name];
}

/**
 * The key an image reference is matched by: `docker.io/library/nginx:latest` for `nginx`,
 * `<domain>/<path>@sha256:…` for any reference with a digest (the engine resolves those by
 * digest alone), `sha256:<id>` for an image id. Idempotent: a key is its own key.
 */
export function imageKey(reference: string): string {
  const trimmed = reference.trim();
  const id = IMAGE_ID.exec(trimmed);
  if (id) {
    return `sha256:${id[1]}`;
  }
  const at = trimmed.indexOf("@");
  const digest = at < 0 ? undefined : trimmed.slice(at + 1);
  const named = at < 0 ? trimmed : trimmed.slice(0, at);
  // A tag follows the last colon after the last slash; a colon before it is a registry port.
  const colon = named.lastIndexOf(":");
  const hasTag = colon > named.lastIndexOf("/");
  const name = hasTag ? named.slice(0, colon) : named;
  const tag = hasTag ? named.slice(colon + 1) : DEFAULT_TAG;
  const [domain, path] = splitName(name);

  return digest === undefined ? `${domain}/${path}:${tag}` : `${domain}/${path}@${digest}`;
}

/**
 * The keys of everything an engine lists for its images (repo tags, repo digests, ids), for
 * `TSchedulerNode.images`. Docker's `<none>` placeholders name nothing and are left out.
 */
export function imageKeys(references: Iterable<string>): Set<string> {
  const keys = new Set<string>();
  for (const reference of references) {
    if (reference !== "" && !reference.startsWith("<none>")) {
      keys.add(imageKey(reference));
    }
  }

  return keys;
}
