/**
 * Reads a V8 `.cpuprofile` (from `node --cpu-prof`) and says where the time went: self time by
 * package / source file, and inclusive time of the framework's own functions.
 */
import { readFileSync } from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

/** One line of a summary: a name and its time. */
export interface ProfileLine {
  name: string;
  ms: number;
  /** Share of the busy (non-idle) time, 0..1. */
  share: number;
}

/** What {@link summariseProfile} returns. */
export interface ProfileSummary {
  totalMs: number;
  idleMs: number;
  /** Self time by package (`node_modules/<pkg>`), `src/<folder>/<file>`, node internals, GC. */
  selfByArea: ProfileLine[];
  /** Inclusive time of functions defined in `src/` or `bots/` (a sample counts once per function). */
  inclusiveOwn: ProfileLine[];
  /** Inclusive time by package, for the packages the framework calls (a sample counts once per package). */
  inclusiveByPackage: ProfileLine[];
  /** Each sample given to the pipeline stage of its nearest recognisable frame (ack, turn, dispatch...). */
  byStage: ProfileLine[];
}

/** Function names that identify a stage, tried from the sampled frame outwards. */
const STAGE_BY_FUNCTION: Array<[RegExp, string]> = [
  [/^(nextEffectAvailableAt|scheduleNext)$/, 'dispatch: wake-up query (nextEffectAvailableAt)'],
  [/^(claimEffectRows|claimOnce|claimEffects)$/, 'dispatch: claim query'],
  [
    /^(runRequest|sendHttp|execute|settleEffectOutcome|settleEffectRow|settleSafely|startRequests|pickRequest)$/,
    'dispatch: REST request + settle',
  ],
  [/^parseEventBody$/, 'ack: parse (decode + zod + map)'],
  [/^(appendItems|appendInbox|accept)$/, 'ack: inbox append'],
  [/^(checkApplicationToken|verifyApplicationToken)$/, 'ack: token check'],
  [/^readRawBody$/, 'ack: read body'],
  [
    /^(processNext|runTurn|commitDialog|loadDialog|nextInbox|readDialog|rearmTimers)$/,
    'turn: load, xstate, commit',
  ],
  [/^runGroup$/, 'store: group COMMIT (every writer)'],
];

/** Source files that identify a stage when no function name did. */
const STAGE_BY_FILE: Array<[RegExp, string]> = [
  [
    /src\/runtime\/(drain-dialog|mailbox|durable-timers|timer-scheduler|wait-for-settled|plan-turn|bot-event)/,
    'turn: load, xstate, commit',
  ],
  [/src\/runtime\/dispatcher/, 'dispatch: other'],
  [/src\/(http|transport)\//, 'ack: HTTP handler (rest)'],
  [/sqlite-write-queue/, 'store: group COMMIT (every writer)'],
  [/node_modules\/(express|router)\//, 'HTTP: express + router'],
  [
    /^node:(_http|net|internal\/streams|internal\/stream_base)/,
    'HTTP: node (server and REST client sockets)',
  ],
  [/src\/bitrix\//, 'dispatch: REST request + settle'],
];

function stageOf(frames: Iterable<ProfileNode['callFrame']>): string | undefined {
  for (const frame of frames) {
    if (frame.functionName === '(garbage collector)') return 'GC';
    for (const [re, stage] of STAGE_BY_FUNCTION) if (re.test(frame.functionName)) return stage;
    for (const [re, stage] of STAGE_BY_FILE) if (re.test(frame.url)) return stage;
  }
  return undefined;
}

function areaOf(frame: ProfileNode['callFrame']): string {
  const { url, functionName } = frame;
  if (!url) return functionName.startsWith('(') ? functionName : '(native)';
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg) return pkg[1] as string;
  const own = /\/((?:src|bots|bench)\/.+?)(?:\?.*)?$/.exec(url);
  if (own) return own[1] as string;
  if (url.startsWith('node:')) return url;
  return url;
}

function packageOf(frame: ProfileNode['callFrame']): string | undefined {
  return /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(frame.url)?.[1];
}

function lines(map: Map<string, number>, busyMs: number, limit: number): ProfileLine[] {
  return [...map.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, limit)
    .map(([name, ms]) => ({ name, ms, share: busyMs > 0 ? ms / busyMs : 0 }));
}

/**
 * Summarises one profile file.
 *
 * @example
 * const s = summariseProfile({ file: 'bench/results/profiles/CPU.123.cpuprofile' });
 * for (const l of s.selfByArea) console.log(l.name, l.ms);
 */
export function summariseProfile(options: { file: string; limit?: number }): ProfileSummary {
  const profile = JSON.parse(readFileSync(options.file, 'utf8')) as CpuProfile;
  const limit = options.limit ?? 25;
  const byId = new Map<number, ProfileNode>();
  const parent = new Map<number, number>();
  for (const node of profile.nodes) {
    byId.set(node.id, node);
    for (const child of node.children ?? []) parent.set(child, node.id);
  }
  const self = new Map<string, number>();
  const inclusive = new Map<string, number>();
  const inclusivePkg = new Map<string, number>();
  const stages = new Map<string, number>();
  let total = 0;
  let idle = 0;
  profile.samples.forEach((id, i) => {
    const ms = (profile.timeDeltas[i] ?? 0) / 1000;
    total += ms;
    const node = byId.get(id);
    if (!node) return;
    if (node.callFrame.functionName === '(idle)') {
      idle += ms;
      return;
    }
    const area = areaOf(node.callFrame);
    self.set(area, (self.get(area) ?? 0) + ms);
    const seen = new Set<string>();
    const seenPkg = new Set<string>();
    const stack: ProfileNode['callFrame'][] = [];
    for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
      const frame = byId.get(cur)?.callFrame;
      if (!frame) break;
      stack.push(frame);
      const pkg = packageOf(frame);
      if (pkg && !seenPkg.has(pkg)) {
        seenPkg.add(pkg);
        inclusivePkg.set(pkg, (inclusivePkg.get(pkg) ?? 0) + ms);
      }
      const file = /\/((?:src|bots)\/[^?]+)/.exec(frame.url)?.[1];
      if (!file) continue;
      // tsx emits each module on very few lines, so a line number would not help: name and file.
      const key = `${frame.functionName || '(anonymous)'} (${file})`;
      if (seen.has(key)) continue;
      seen.add(key);
      inclusive.set(key, (inclusive.get(key) ?? 0) + ms);
    }
    const stage = stageOf(stack) ?? `other: ${area}`;
    stages.set(stage, (stages.get(stage) ?? 0) + ms);
  });
  const busy = total - idle;
  return {
    totalMs: total,
    idleMs: idle,
    selfByArea: lines(self, busy, limit),
    inclusiveOwn: lines(inclusive, busy, limit),
    inclusiveByPackage: lines(inclusivePkg, busy, limit),
    byStage: lines(stages, busy, limit),
  };
}
