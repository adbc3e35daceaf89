/**
 * `openlines-bot init <dir>` in-process: the files, the package name, the dependency versions,
 * and a folder that is not empty is refused (nothing overwritten).
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { packageNameOf } from '../../src/cli/init-command';
import { runCli } from '../../src/cli/main';
import { capturedIo } from './captured-io';

describe('openlines-bot init', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'olb-init-'));
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('writes a project whose package depends on this version of openlines-bot and on xstate', async () => {
    const io = capturedIo({ cwd: dir });
    expect(await runCli({ argv: ['init', 'Clinic Bot'], io })).toBe(0);
    const app = join(dir, 'Clinic Bot');
    const pkg = JSON.parse(readFileSync(join(app, 'package.json'), 'utf8')) as {
      name: string;
      scripts: Record<string, string>;
      dependencies: Record<string, string>;
      devDependencies: Record<string, string>;
    };
    const own = JSON.parse(readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf8')) as {
      version: string;
      dependencies: Record<string, string>;
    };
    expect(pkg.name).toBe('clinic-bot');
    expect(pkg.dependencies).toEqual({
      'openlines-bot': `^${own.version}`,
      xstate: own.dependencies.xstate,
      zod: own.dependencies.zod,
    });
    expect(Object.keys(pkg.devDependencies).sort()).toEqual(
      ['@types/jest', '@types/node', 'jest', 'ts-jest', 'ts-node', 'typescript'].sort(),
    );
    expect(pkg.scripts).toMatchObject({ test: 'jest', start: 'openlines-bot serve bot.ts' });
    for (const f of [
      'tsconfig.json',
      'jest.config.ts',
      'bot.ts',
      'test/bot.test.ts',
      'test/transcripts/front-desk.txt',
      'README.md',
      '.gitignore',
    ])
      expect(existsSync(join(app, f))).toBe(true);
    expect(io.out()).toContain('npm install');
  });

  it('takes --name for the package name', async () => {
    const io = capturedIo({ cwd: dir });
    expect(await runCli({ argv: ['init', 'x', '--name', 'front-desk-bot'], io })).toBe(0);
    expect(JSON.parse(readFileSync(join(dir, 'x', 'package.json'), 'utf8'))).toMatchObject({
      name: 'front-desk-bot',
    });
  });

  it('refuses a folder that is not empty and leaves its files alone', async () => {
    mkdirSync(join(dir, 'taken'));
    writeFileSync(join(dir, 'taken', 'bot.ts'), 'mine');
    const io = capturedIo({ cwd: dir });
    expect(await runCli({ argv: ['init', 'taken'], io })).toBe(1);
    expect(io.err()).toMatch(/"taken" is not empty/);
    expect(readFileSync(join(dir, 'taken', 'bot.ts'), 'utf8')).toBe('mine');
  });

  it('needs exactly one folder', async () => {
    const io = capturedIo({ cwd: dir });
    expect(await runCli({ argv: ['init'], io })).toBe(2);
    expect(io.err()).toMatch(/init needs exactly one folder/);
  });

  it('makes valid npm names of folder names', () => {
    expect(packageNameOf('My Bot!')).toBe('my-bot');
    expect(packageNameOf('...')).toBe('openlines-bot-project');
  });
});
