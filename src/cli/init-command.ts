/**
 * `openlines-bot init <dir>`: writes a ready project (package.json, tsconfig, jest config, a small
 * bot, its kit tests, a transcript, a README with the next steps) into a new or empty folder.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { ConfigError } from '../errors';
import { writeLines, type CliIo } from './cli-io';
import { templateFiles, type TemplateVersions } from './init-template';

/** Options of {@link runInitCommand}. */
export interface InitCommandOptions {
  /** The folder to create (or an empty one). */
  dir: string;
  /** Package name; default: the folder's name, made a valid npm name. */
  name?: string;
  io: CliIo;
}

interface OwnPackage {
  version: string;
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
}

function ownPackage(): OwnPackage {
  // src/cli and dist/cli both sit two levels below the package root.
  return JSON.parse(
    readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf8'),
  ) as OwnPackage;
}

/** The versions the new project depends on: this package's own, so that they fit together. */
export function templateVersions(pkg: OwnPackage = ownPackage()): TemplateVersions {
  const dep = (name: string, fallback: string) =>
    pkg.dependencies?.[name] ?? pkg.devDependencies?.[name] ?? fallback;
  return {
    openlinesBot: `^${pkg.version}`,
    xstate: dep('xstate', '^5.0.0'),
    zod: dep('zod', '^4.0.0'),
    jest: dep('jest', '^30.0.0'),
    tsJest: dep('ts-jest', '^29.0.0'),
    tsNode: dep('ts-node', '^10.9.2'),
    typescript: dep('typescript', '^5.0.0'),
    typesJest: dep('@types/jest', '^30.0.0'),
    typesNode: dep('@types/node', '^20.0.0'),
  };
}

/**
 * A valid npm package name from a folder name: lower case, `-` for anything else.
 *
 * @example
 * packageNameOf('My Bot!'); // 'my-bot'
 */
export function packageNameOf(folder: string): string {
  const name = folder
    .toLowerCase()
    .replace(/[^a-z0-9._-]+/g, '-')
    .replace(/^[._-]+|[-]+$/g, '')
    .slice(0, 214);
  return name === '' ? 'openlines-bot-project' : name;
}

/**
 * Writes the project; resolves with the exit code. Refuses a folder that exists and is not empty.
 *
 * @example
 * await runInitCommand({ dir: 'my-bot', io: processIo() });
 */
export async function runInitCommand(options: InitCommandOptions): Promise<number> {
  const { io } = options;
  const target = resolve(io.cwd, options.dir);
  if (existsSync(target)) {
    if (!statSync(target).isDirectory())
      throw new ConfigError([`"${options.dir}" exists and is not a folder`], 'Cannot init');
    if (readdirSync(target).length > 0)
      throw new ConfigError(
        [`"${options.dir}" is not empty: choose a new folder (init never overwrites files)`],
        'Cannot init',
      );
  }
  const name = options.name ?? packageNameOf(basename(target));
  const files = templateFiles(name, templateVersions());
  for (const f of files) {
    const path = join(target, f.path);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, f.content, { flag: 'wx' });
  }
  const shown = relative(io.cwd, target) || '.';
  writeLines(io.stdout, [
    `Created ${name} in ${shown}:`,
    ...files.map((f) => `  ${f.path}`),
    '',
    'Next:',
    `  cd ${shown}`,
    '  npm install',
    "  npm test        the bot's tests (a fake portal and a fake clock)",
    '  npm run chat    talk to the bot in this terminal',
    '  npm start       serve it (a local portal simulator until B24_* variables are set)',
  ]);
  return 0;
}
