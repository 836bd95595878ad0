/**
 * A loopback npm registry for the end-to-end install test, serving only what the repository's
 * package-lock.json records (read from the npm cache that `npm ci` filled) plus the freshly
 * packed dtcheck tarballs. npm and pnpm install from it exactly as from the public registry, so
 * the test runs offline, and a dependency dtcheck forgot to record in the lock fails the install
 * instead of being fetched from the internet.
 */
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import cacache from "cacache";

interface LockEntry {
  name?: string;
  version?: string;
  resolved?: string;
  integrity?: string;
  link?: boolean;
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  peerDependenciesMeta?: Record<string, { optional?: boolean }>;
  bin?: Record<string, string>;
  engines?: Record<string, string>;
  os?: string[];
  cpu?: string[];
  libc?: string[];
}

/** One version in a packument: the manifest fields npm and pnpm resolve with, and where its tarball is. */
interface VersionManifest {
  name: string;
  version: string;
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  peerDependenciesMeta?: Record<string, { optional?: boolean }>;
  bin?: Record<string, string>;
  engines?: Record<string, string>;
  os?: string[];
  cpu?: string[];
  libc?: string[];
  dist: { tarball: string; integrity: string };
}

type Tarball = { kind: "cache"; integrity: string } | { kind: "file"; file: string };

export interface LocalRegistry {
  url: string;
  /** A registry that has no package at all. */
  emptyUrl: string;
  /** Tarballs requested that the npm cache does not hold (a platform build nobody installed). */
  missing: string[];
  close(): Promise<void>;
}

const MANIFEST_FIELDS = ["dependencies", "optionalDependencies", "peerDependencies", "peerDependenciesMeta", "bin", "engines", "os", "cpu", "libc"] as const;

function compareVersions(a: string, b: string): number {
  const parse = (v: string) => v.split(/[.+-]/).map((part) => (/^\d+$/.test(part) ? Number(part) : part));
  const [pa, pb] = [parse(a), parse(b)];
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const [x, y] = [pa[i], pb[i]];
    if (x === y) continue;
    if (x === undefined) return 1; // 1.0.0 > 1.0.0-alpha
    if (y === undefined) return -1;
    if (typeof x === "number" && typeof y === "number") return x - y;
    return String(x) < String(y) ? -1 : 1;
  }
  return 0;
}

/**
 * Starts the registry. `lockFile` is the repository's package-lock.json; `packed` maps the
 * dtcheck package names to their `npm pack` tarballs; `npmCache` is npm's cache directory.
 */
export async function startLocalRegistry(options: { lockFile: string; packed: { manifest: string; tarball: string }[]; npmCache: string }): Promise<LocalRegistry> {
  const lock = JSON.parse(readFileSync(options.lockFile, "utf8")) as { packages: Record<string, LockEntry> };
  const packuments = new Map<string, Map<string, VersionManifest>>();
  const tarballs = new Map<string, Tarball>();
  const missing: string[] = [];
  let base = "";

  const add = (manifest: Omit<VersionManifest, "dist">, integrity: string, tarball: Tarball) => {
    const versions = packuments.get(manifest.name) ?? new Map<string, VersionManifest>();
    packuments.set(manifest.name, versions);
    const key = `${manifest.name}/${manifest.version}`;
    versions.set(manifest.version, { ...manifest, dist: { tarball: `/-/${encodeURIComponent(manifest.name)}/${manifest.version}.tgz`, integrity } });
    tarballs.set(key, tarball);
  };

  for (const [location, entry] of Object.entries(lock.packages)) {
    // The lock may omit `resolved` (omit-lockfile-registry-resolved); registry packages still carry an integrity.
    if (!location.includes("node_modules/") || entry.link || !entry.integrity || !entry.version || entry.resolved?.startsWith("file:")) continue;
    const name = entry.name ?? location.slice(location.lastIndexOf("node_modules/") + "node_modules/".length);
    const manifest: Omit<VersionManifest, "dist"> = { name, version: entry.version };
    for (const field of MANIFEST_FIELDS) if (entry[field]) Object.assign(manifest, { [field]: entry[field] });
    add(manifest, entry.integrity, { kind: "cache", integrity: entry.integrity });
  }
  for (const { manifest: manifestFile, tarball } of options.packed) {
    const pkg = JSON.parse(readFileSync(manifestFile, "utf8")) as Omit<VersionManifest, "dist">;
    const manifest: Omit<VersionManifest, "dist"> = { name: pkg.name, version: pkg.version };
    for (const field of MANIFEST_FIELDS) if (pkg[field]) Object.assign(manifest, { [field]: pkg[field] });
    const integrity = `sha512-${createHash("sha512").update(readFileSync(tarball)).digest("base64")}`;
    add(manifest, integrity, { kind: "file", file: tarball });
  }

  const server: Server = createServer((request, response) => {
    const url = decodeURIComponent((request.url ?? "/").split("?")[0]!);
    // An empty registry beside the full one: where `npm publish --dry-run` finds no published version yet.
    if (url.startsWith("/empty/")) return response.writeHead(404, { "content-type": "application/json" }).end(JSON.stringify({ error: "not found" }));
    const tarballMatch = /^\/-\/(.+)\/([^/]+)\.tgz$/.exec(url);
    if (tarballMatch) {
      const key = `${tarballMatch[1]}/${tarballMatch[2]}`;
      const source = tarballs.get(key);
      const send = (data: Buffer) => response.writeHead(200, { "content-type": "application/octet-stream", "content-length": data.length }).end(data);
      if (source?.kind === "file") return send(readFileSync(source.file));
      if (source?.kind === "cache") {
        cacache.get.byDigest(options.npmCache, source.integrity).then(send, () => {
          missing.push(key);
          response.writeHead(404).end();
        });
        return;
      }
      return response.writeHead(404).end();
    }
    const name = url.slice(1);
    const versions = packuments.get(name);
    if (!versions) return response.writeHead(404, { "content-type": "application/json" }).end(JSON.stringify({ error: "not found" }));
    const sorted = [...versions.keys()].sort(compareVersions);
    const stable = sorted.filter((v) => !v.includes("-"));
    const body = {
      name,
      "dist-tags": { latest: stable.at(-1) ?? sorted.at(-1) },
      versions: Object.fromEntries(sorted.map((v) => {
        const manifest = versions.get(v)!;
        return [v, { ...manifest, dist: { ...manifest.dist, tarball: base + manifest.dist.tarball } }];
      })),
    };
    response.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(body));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: `${base}/`,
    emptyUrl: `${base}/empty/`,
    missing,
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections(); // npm and pnpm keep their sockets alive
      }),
  };
}

/** npm's cache directory as npm itself reports it (`npm config get cache`), for the registry to read. */
export function npmCacheDir(npmConfigCache: string): string {
  return path.join(npmConfigCache, "_cacache");
}
