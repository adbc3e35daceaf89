/**
 * Parses Mermaid text with the real `mermaid` package. mermaid is ESM-only and needs a DOM, so it
 * runs in a plain Node ES-module child process with jsdom providing `window`/`document`: no
 * browser and no network. Resolution of `jsdom`/`mermaid` starts at the repository root (cwd).
 */
import { spawn } from 'node:child_process';
import { REPO } from './run-cli-process';

const SCRIPT = `
const dom = new (await import('jsdom')).JSDOM('');
globalThis.window = dom.window;
globalThis.document = dom.window.document;
globalThis.DOMParser = dom.window.DOMParser;
const { default: mermaid } = await import('mermaid');
let input = '';
for await (const chunk of process.stdin) input += chunk;
const results = [];
for (const text of JSON.parse(input)) {
  try {
    const r = await mermaid.parse(text);
    results.push({ ok: true, diagramType: r.diagramType });
  } catch (e) {
    results.push({ ok: false, error: String(e && e.message ? e.message : e).split('\\n').slice(0, 4).join('\\n') });
  }
}
process.stdout.write(JSON.stringify(results));
`;

export type MermaidParseResult = { ok: true; diagramType: string } | { ok: false; error: string };

/** Parses each text; resolves with one result per text, in order. */
export function parseMermaid(texts: string[]): Promise<MermaidParseResult[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--input-type=module', '-e', SCRIPT], { cwd: REPO });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString('utf8')));
    child.stderr.on('data', (d: Buffer) => (err += d.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) reject(new Error(`mermaid parser exited with ${String(code)}: ${err}`));
      else resolve(JSON.parse(out) as MermaidParseResult[]);
    });
    child.stdin.end(JSON.stringify(texts));
  });
}
