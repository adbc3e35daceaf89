"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.templateVersions = templateVersions;
exports.packageNameOf = packageNameOf;
exports.runInitCommand = runInitCommand;
/**
 * `openlines-bot init <dir>`: writes a ready project (package.json, tsconfig, jest config, a small
 * bot, its kit tests, a transcript, a README with the next steps) into a new or empty folder.
 */
const node_fs_1 = require("node:fs");
const node_path_1 = require("node:path");
const errors_1 = require("../errors");
const cli_io_1 = require("./cli-io");
const init_template_1 = require("./init-template");
function ownPackage() {
    // src/cli and dist/cli both sit two levels below the package root.
    return JSON.parse((0, node_fs_1.readFileSync)((0, node_path_1.join)(__dirname, '..', '..', 'package.json'), 'utf8'));
}
/** The versions the new project depends on: this package's own, so that they fit together. */
function templateVersions(pkg = ownPackage()) {
    const dep = (name, fallback) => pkg.dependencies?.[name] ?? pkg.devDependencies?.[name] ?? fallback;
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
function packageNameOf(folder) {
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
async function runInitCommand(options) {
    const { io } = options;
    const target = (0, node_path_1.resolve)(io.cwd, options.dir);
    if ((0, node_fs_1.existsSync)(target)) {
        if (!(0, node_fs_1.statSync)(target).isDirectory())
            throw new errors_1.ConfigError([`"${options.dir}" exists and is not a folder`], 'Cannot init');
        if ((0, node_fs_1.readdirSync)(target).length > 0)
            throw new errors_1.ConfigError([`"${options.dir}" is not empty: choose a new folder (init never overwrites files)`], 'Cannot init');
    }
    const name = options.name ?? packageNameOf((0, node_path_1.basename)(target));
    const files = (0, init_template_1.templateFiles)(name, templateVersions());
    for (const f of files) {
        const path = (0, node_path_1.join)(target, f.path);
        (0, node_fs_1.mkdirSync)((0, node_path_1.dirname)(path), { recursive: true });
        (0, node_fs_1.writeFileSync)(path, f.content, { flag: 'wx' });
    }
    const shown = (0, node_path_1.relative)(io.cwd, target) || '.';
    (0, cli_io_1.writeLines)(io.stdout, [
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
