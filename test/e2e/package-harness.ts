/**
 * What the package tests need to use openlines-bot the way a user does: the package built and
 * packed (`npm pack`) from a copy of this repository, a project installed from the tarball, a
 * "clone" linked into a project (`npm link` style), and processes run in those folders.
 *
 * Offline by design: the project's other dependencies are linked from this repository's own
 * `node_modules` (what `npm ci` installed), so nothing is downloaded and a clean CI machine works.
 */
import { spawnSync } from 'node:child_process';
import {
  chmodSync,
  cpSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  realpathSync,
  renameSync,
  symlinkSync,
} from 'node:fs';
import { join } from 'node:path';
import { spawnGroup, type SpawnedServer } from './spawned-server';

export const REPO = join(__dirname, '..', '..');
const REPO_MODULES = join(REPO, 'node_modules');

function run(command: string, args: string[], cwd: string, timeoutMs = 120_000): string {
  const r = spawnSync(command, args, {
    cwd,
    encoding: 'utf8',
    timeout: timeoutMs,
    env: { ...process.env, npm_config_update_notifier: 'false', npm_config_fund: 'false' },
  });
  if (r.status !== 0) {
    throw new Error(
      `${command} ${args.join(' ')} failed (${r.status ?? r.signal ?? r.error?.message}):\n${r.stdout}\n${r.stderr}`,
    );
  }
  return r.stdout;
}

/** The files `npm pack` takes, as package.json lists them. */
function packageFiles(): string[] {
  const pkg = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as { files: string[] };
  return pkg.files;
}

/**
 * Builds the package from the sources into `work/pkg` (tsc with tsconfig.build.json) and packs it
 * there: resolves with the tarball's path. The repository's own `dist/` is neither used nor touched.
 */
export function buildAndPack(work: string): { tarball: string; pkgDir: string } {
  const pkgDir = join(work, 'pkg');
  mkdirSync(pkgDir, { recursive: true });
  cpSync(join(REPO, 'package.json'), join(pkgDir, 'package.json'));
  for (const f of packageFiles()) {
    if (f === 'dist' || !existsSync(join(REPO, f))) continue;
    cpSync(join(REPO, f), join(pkgDir, f), { recursive: true });
  }
  run(
    process.execPath,
    [
      join(REPO_MODULES, 'typescript', 'bin', 'tsc'),
      '-p',
      join(REPO, 'tsconfig.build.json'),
      '--outDir',
      join(pkgDir, 'dist'),
    ],
    REPO,
  );
  const out = run('npm', ['pack', '--pack-destination', work, '--ignore-scripts'], pkgDir);
  const name = out.trim().split('\n').pop() as string;
  return { tarball: join(work, name), pkgDir };
}

/** Extracts `tarball` as `dest` (npm tarballs hold one `package/` folder). */
export function extractTarball(tarball: string, dest: string, scratch: string): void {
  mkdirSync(scratch, { recursive: true });
  run('tar', ['-xzf', tarball, '-C', scratch], scratch);
  mkdirSync(join(dest, '..'), { recursive: true });
  renameSync(join(scratch, 'package'), dest);
}

/**
 * Gives `project/node_modules` every package of this repository's `node_modules` (as links) but
 * `openlines-bot`, and the `.bin` commands, plus `openlines-bot`'s own command.
 */
export function linkDependencies(project: string): void {
  const modules = join(project, 'node_modules');
  mkdirSync(join(modules, '.bin'), { recursive: true });
  for (const entry of readdirSync(REPO_MODULES)) {
    if (entry.startsWith('.') || entry === 'openlines-bot') continue;
    if (entry.startsWith('@')) {
      mkdirSync(join(modules, entry), { recursive: true });
      for (const sub of readdirSync(join(REPO_MODULES, entry))) {
        const to = join(modules, entry, sub);
        if (!existsSync(to)) symlinkSync(realpathSync(join(REPO_MODULES, entry, sub)), to);
      }
      continue;
    }
    const to = join(modules, entry);
    if (!existsSync(to)) symlinkSync(realpathSync(join(REPO_MODULES, entry)), to);
  }
  for (const bin of readdirSync(join(REPO_MODULES, '.bin'))) {
    symlinkSync(realpathSync(join(REPO_MODULES, '.bin', bin)), join(modules, '.bin', bin));
  }
  const own = join(modules, 'openlines-bot', 'bin', 'openlines-bot.js');
  if (existsSync(own)) chmodSync(own, 0o755);
  symlinkSync(own, join(modules, '.bin', 'openlines-bot'));
}

/**
 * Makes `dir` a clone of this repository as a developer has it: sources, launcher, tsconfig,
 * package.json and a built `dist/` (copied from `pkgDir`), with the repository's dependencies.
 */
export function makeClone(dir: string, pkgDir: string): void {
  mkdirSync(dir, { recursive: true });
  for (const f of ['package.json', 'tsconfig.json', 'tsconfig.build.json', 'README.md']) {
    cpSync(join(REPO, f), join(dir, f));
  }
  for (const f of ['src', 'bin']) cpSync(join(REPO, f), join(dir, f), { recursive: true });
  cpSync(join(pkgDir, 'dist'), join(dir, 'dist'), { recursive: true });
  symlinkSync(realpathSync(REPO_MODULES), join(dir, 'node_modules'));
}

/** A process started in a folder, its output kept. */
export type ProjectProcess = SpawnedServer;

/** Environment without the developer's portal settings. */
export function projectEnv(extra: Record<string, string> = {}): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (v === undefined) continue;
    if (/^(B24_|OPENLINES_|PUBLIC_URL$|PORT$|HOST$|JEST_|npm_)/.test(k)) continue;
    env[k] = v;
  }
  return {
    ...env,
    NODE_ENV: 'test',
    npm_config_update_notifier: 'false',
    npm_config_fund: 'false',
    npm_config_audit: 'false',
    ...extra,
  };
}

/** Starts `command args` in `cwd`, in a process group of its own. */
export function startIn(
  cwd: string,
  command: string,
  args: string[],
  env: Record<string, string>,
): ProjectProcess {
  return spawnGroup({ command, args, cwd, env, keepChars: 50_000, graceMs: 10_000 });
}

/** Runs a command to its end (bounded): exit code and output. */
export async function runIn(
  cwd: string,
  command: string,
  args: string[],
  env: Record<string, string>,
  timeoutMs: number,
): Promise<{ code: number | string | null; output: string }> {
  const p = startIn(cwd, command, args, env);
  const timer = setTimeout(() => void p.stop(1_000), timeoutMs);
  try {
    const code = await p.exited;
    return { code, output: p.output() };
  } finally {
    clearTimeout(timer);
  }
}

/** Resolves with the first match of `re` in the process's output (bounded by `withinMs`). */
export async function waitForMatch(
  p: ProjectProcess,
  re: RegExp,
  withinMs: number,
): Promise<RegExpExecArray> {
  const deadline = Date.now() + withinMs;
  let gone = false;
  void p.exited.then(() => (gone = true));
  for (;;) {
    const m = re.exec(p.output());
    if (m) return m;
    if (gone || Date.now() > deadline)
      throw new Error(
        `no ${re} in the output (${gone ? 'process exited' : 'timed out'}):\n${p.output()}`,
      );
    // A separate process is working: real time must pass, there is no clock to advance.
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
