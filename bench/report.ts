/** Readable tables of the results for stdout. */
import type { InitResults } from './init.js';
import type { LatencyResults } from './latency.js';

const kib = (bytes: number) => (bytes / 1024).toFixed(1);
const mega = (n?: number) => (n === undefined ? '-' : (n / 1e6).toFixed(0));
const pct = (share?: number) => (share === undefined ? '-' : `${(share * 100).toFixed(1)}%`);
const mark = (pass?: boolean) => (pass === undefined ? '-' : pass ? 'pass' : 'FAIL');

function table(header: string[], rows: string[][]): string {
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column].length)));
  const line = (cells: string[]) => cells.map((cell, column) => (column === 0 || column === cells.length - 1 ? cell.padEnd(widths[column]) : cell.padStart(widths[column]))).join('  ').trimEnd();
  return [line(header), widths.map((width) => '-'.repeat(width)).join('  '), ...rows.map(line)].join('\n');
}

export function initTable(results: InitResults): string {
  const baselineRows = Object.entries(results.baselines).map(([key, b]) => [`baseline: ${key}`, kib(b.bytes), kib(b.sdkBytes), kib(b.otherBytes), '', mega(b.instructions), '', '', '', '', '']);
  const rows = results.functions.map((fn) => [
    fn.handler,
    kib(fn.bundle.bytes),
    kib(fn.bundle.sdkBytes),
    kib(fn.bundle.otherBytes),
    mark(fn.pass.size),
    mega(fn.bundle.instructions),
    mega(results.baselines[fn.baseline].instructions),
    mega(fn.addedInstructions),
    pct(fn.addedShare),
    mark(fn.pass.init),
    fn.bundle.otherTop.slice(0, 3).map((top) => `${top.name} ${kib(top.bytes)}`).join(', '),
  ]);
  const maxKib = results.targets.maxOtherBytes / 1024;
  const maxPct = results.targets.maxAddedInitShare * 100;
  return table(
    ['function', 'KiB', 'SDK KiB', 'other KiB', `other≤${maxKib}K`, 'init Minstr', 'SDK-only', 'added', 'added %', `≤${maxPct}%`, 'largest other (KiB)'],
    [...baselineRows, ...rows],
  );
}

export function latencyTable(results: LatencyResults): string {
  const b = results.baseline;
  const rows = [[b.name, String(b.n), b.p50Ms.toFixed(2), b.p99Ms.toFixed(2), '', '', '', '', '', '']];
  for (const s of results.scenarios) {
    if (s.skipped || s.error) {
      rows.push([s.name, '-', '-', '-', '-', '-', '-', '-', '-', s.skipped ? `skipped: ${s.skipped}` : `ERROR: ${s.error}`]);
      continue;
    }
    const calls = (name: string) => {
      const { median, max } = s.callsPerRequest![name] ?? { median: 0, max: 0 };
      return max === median ? String(median) : `${median} (max ${max})`;
    };
    const [typical, ...others] = s.callPatterns!;
    const ops = Object.entries(typical?.operations ?? {}).map(([op, count]) => `${op.replace('DynamoDB.', '')}×${count}`).join(' ') || 'none';
    rows.push([
      s.name,
      String(s.n),
      s.p50Ms!.toFixed(2),
      s.p99Ms!.toFixed(2),
      `${s.p50OverBaseline!.toFixed(2)} (${s.baseline!.p50Ms.toFixed(2)})`,
      mark(s.pass!.latency),
      calls('DynamoDB'),
      calls('KMS'),
      s.maxCalls ? `${mark(s.pass!.calls)} (≤${Object.entries(s.maxCalls).map(([k, v]) => `${v} ${k}`).join(', ')})` : '-',
      `${ops} (${typical?.requests ?? 0}/${s.n})${others.length ? ` +${others.length} other pattern${others.length > 1 ? 's' : ''}` : ''}`,
    ]);
  }
  return table(['scenario', 'n', 'p50 ms', 'p99 ms', 'p50/base (base p50)', `≤${results.targets.maxP50OverBaseline}×`, 'DynamoDB', 'KMS', 'calls', 'typical calls of one request'], rows);
}
