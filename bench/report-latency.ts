/** Readable tables of the latency results (scenarios next to their bare-SDK replays, and the load run) for stdout. */
import type { LoadResults } from './load.js';
import type { LatencyResults } from './latency.js';

const mark = (pass?: boolean) => (pass === undefined ? '-' : pass ? 'pass' : 'FAIL');
const ms = (value?: number) => (value === undefined ? '-' : value.toFixed(2));

function table(header: string[], rows: string[][]): string {
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column].length)));
  const line = (cells: string[]) => cells.map((cell, column) => (column === 0 || column === cells.length - 1 ? cell.padEnd(widths[column]) : cell.padStart(widths[column]))).join('  ').trimEnd();
  return [line(header), widths.map((width) => '-'.repeat(width)).join('  '), ...rows.map(line)].join('\n');
}

export function bareTable(results: LatencyResults): string {
  const b = results.baseline;
  const rows = [[b.name, String(b.n), ms(b.p50Ms), ms(b.p99Ms), '', '', '', '', '', '', '', '', '', '']];
  for (const s of results.scenarios) {
    if (s.skipped || s.error) {
      rows.push([s.name, '-', '-', '-', '-', '-', '-', '-', '-', '-', '-', '-', '-', s.skipped ? `skipped: ${s.skipped}` : `ERROR: ${s.error}`]);
      continue;
    }
    const calls = (name: string) => {
      const { median, max } = s.callsPerRequest![name] ?? { median: 0, max: 0 };
      return max === median ? String(median) : `${median} (max ${max})`;
    };
    const trips = s.roundTrips!.median === s.roundTrips!.max ? String(s.roundTrips!.median) : `${s.roundTrips!.median} (max ${s.roundTrips!.max})`;
    const [typical, ...others] = s.timelines ?? [];
    const rounds = s.overBare ? `${Math.min(...s.overBare.rounds).toFixed(2)}–${Math.max(...s.overBare.rounds).toFixed(2)}` : '-';
    rows.push([
      s.name,
      String(s.n),
      ms(s.p50Ms),
      ms(s.p99Ms),
      s.bare!.p50Ms > 0 ? `${ms(s.bare!.p50Ms)} / ${ms(s.bare!.p99Ms)}` : 'no calls',
      s.overBare ? s.overBare.p50.toFixed(2) : '-',
      rounds,
      s.overBare ? s.overBare.withoutHop.toFixed(2) : '-',
      mark(s.pass!.bare),
      ms(s.hop!.p50Ms),
      `${s.p50OverBaseline!.toFixed(2)} (${ms(s.baseline!.p50Ms)})`,
      `${calls('DynamoDB')}/${calls('KMS')}`,
      trips,
      `${typical?.timeline ?? 'none'} (${typical?.requests ?? 0}/${s.n})${others.length ? ` +${others.length} other` : ''}${s.replayMismatches ? ` REPLAY MISMATCHES ${s.replayMismatches}` : ''}`,
    ]);
  }
  return table(
    ['scenario', 'n', 'p50 ms', 'p99 ms', 'bare p50/p99', 'p50/bare', 'rounds', 'w/o hop', `≤${results.targets.maxP50OverBare}×`, 'hop p50', 'p50/GetItem (GetItem)', 'DDB/KMS', 'seq. trips', 'call chain of one request'],
    rows,
  );
}

export function loadTable(load: LoadResults): string {
  const row = (name: string, run: LoadResults['ours']) => [name, String(run.requests), run.seconds.toFixed(1), String(run.throughput), ms(run.p50Ms), ms(run.p99Ms)];
  return [
    table(['run', 'requests', 's', 'req/s', 'p50 ms', 'p99 ms'], [row('ours (HTTP, platform)', load.ours), row('bare SDK replay of the same calls', load.bare)]),
    `p50 ours/bare ${load.p50OverBare.toFixed(2)}×, throughput ${(load.throughputShareOfBare * 100).toFixed(0)} % of bare; mix ${Object.entries(load.mix).map(([kind, n]) => `${kind} ${n}`).join(', ')}; errors ${load.errors}, replay mismatches ${load.replayMismatches}`,
  ].join('\n');
}
