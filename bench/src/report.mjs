import { existsSync, readFileSync, writeFileSync } from 'node:fs';

const START = '<!-- bench:results:start -->';
const END = '<!-- bench:results:end -->';

const fmt = (n, digits = 0) => (Number.isFinite(n) ? n.toFixed(digits) : '–');
const range = (s, digits = 2) =>
  s.n > 1
    ? `${fmt(s.median, digits)} (${fmt(s.min, digits)}–${fmt(s.max, digits)})`
    : fmt(s.median, digits);

function ratioTable(ratios) {
  const lines = [
    '| ratio | median (min–max) | rounds | furthest pair apart | target | |',
    '|---|---:|---:|---:|---:|---|',
  ];
  for (const r of ratios) {
    const verdict =
      r.goal === undefined ? '' : r.n === 0 ? 'not measured' : r.met ? 'met' : 'missed';
    lines.push(
      `| ${r.label} | ${range(r)} | ${r.n} | ${fmt(r.maxGapSeconds)} s | ${r.goal === undefined ? '' : `≥ ${r.goal}`} | ${verdict} |`,
    );
  }
  return lines;
}

function microTable(micro) {
  const lines = [];
  for (const [alg, a] of Object.entries(micro.algs)) {
    lines.push(
      `#### ${alg}`,
      '',
      '| case | per CPU-second, median (min–max) | µs | of minimal node:crypto | of jose |',
      '|---|---:|---:|---:|---:|',
    );
    for (const r of a.rows) {
      lines.push(
        `| ${r.name} | ${range(r.perCpuSecond, 0)} | ${fmt(r.microseconds, 1)} | ${range(r.ofMinimal)} | ${range(r.ofJose)} |`,
      );
    }
    lines.push(
      '',
      `Cost of the verified-token cache on a miss (authorize with it minus without, per round): ${range(a.cacheMissMicroseconds, 1)} µs.`,
      '',
    );
  }
  if (micro.dpop) {
    lines.push(
      '#### DPoP (RFC 9449): proof verification per request',
      '',
      'One DPoP-bound ES256 token (cached after its first check) with a fresh ES256 proof on every request (signature, htm/htu/iat/ath, cnf.jkt, jti written to the memory store), against the same server with one reused Bearer token.',
      '',
      '| case | per CPU-second, median (min–max) | µs |',
      '|---|---:|---:|',
    );
    for (const r of micro.dpop.rows) {
      lines.push(`| ${r.name} | ${range(r.perCpuSecond, 0)} | ${fmt(r.microseconds, 1)} |`);
    }
    lines.push(
      '',
      `What the proof adds per request (DPoP minus Bearer, per round): ${range(micro.dpop.proofMicroseconds, 1)} µs.`,
      '',
    );
  }
  if (micro.mtls) {
    lines.push(
      '#### Certificate-bound tokens (RFC 8705): the binding check per request',
      '',
      "One certificate-bound ES256 token (cached after its first check) with its client certificate, from the TLS socket (DER) and from a trusted proxy's RFC 9440 header (decoded, DER checked, SHA-256 by Web Crypto), against the same server with an unbound Bearer token.",
      '',
      '| case | per CPU-second, median (min–max) | µs |',
      '|---|---:|---:|',
    );
    for (const r of micro.mtls.rows) {
      lines.push(`| ${r.name} | ${range(r.perCpuSecond, 0)} | ${fmt(r.microseconds, 1)} |`);
    }
    lines.push(
      '',
      `What the binding check adds per request (socket certificate minus Bearer, per round): ${range(micro.mtls.bindingMicroseconds, 1)} µs.`,
      '',
    );
  }
  return lines;
}

function hostileTable(h) {
  const lines = [
    `Fastify, prmkit with keys and the honest token cached; ${h.honestConnections} honest connections, a flood of ${h.floodRate} req/s on 8 more, ${h.duration} s per slice, interleaved (honest alone, honest under flood). JWKS fetches during the floods: **${h.jwksFetches}** over ${fmt(h.spanSeconds)} s (allowed: ${h.allowedFetches}, one per ${h.cooldownSeconds} s cooldown).`,
    '',
    '| flood | honest req/s under flood / alone, median (min–max) | target | flood answered | refused | accepted | JWKS fetches |',
    '|---|---:|---:|---:|---:|---:|---:|',
  ];
  for (const r of h.rows) {
    lines.push(
      `| ${r.kind} | ${range(r)} | ≥ 0.90: ${r.median >= 0.9 ? 'met' : 'missed'} | ${fmt(r.floodRps)} req/s | ${r.refused} | ${r.accepted} | ${r.jwksFetches} |`,
    );
  }
  return lines;
}

/**
 * The generated part of BENCHMARKS.md.
 * @param {any} run
 */
export function renderResults(run) {
  const lines = [];
  lines.push(`Run of ${run.startedAt} (${fmt(run.elapsedSeconds)} s in all).`, '');
  lines.push(
    '**Machine.** ' +
      Object.entries(run.machine)
        .map(([k, v]) => `${k}: ${v}`)
        .join('; ') +
      `. **Load average (1/5/15 min)** before: ${run.loadAverage.before}; after: ${run.loadAverage.after}.`,
    '',
  );
  lines.push(
    '**Versions.** ' +
      Object.entries(run.versions)
        .map(([k, v]) => `${k} ${v}`)
        .join(', ') +
      '.',
    '',
  );
  lines.push(
    '**Settings.** ' +
      Object.entries(run.settings)
        .map(([k, v]) => `${k}: ${v}`)
        .join('; ') +
      '.',
    '',
  );
  lines.push('### Ratios (each computed within a round, then median and spread)', '');
  lines.push(...ratioTable(run.ratios), '');
  const byFramework = new Map();
  for (const c of run.cases)
    byFramework.set(c.framework, [...(byFramework.get(c.framework) ?? []), c]);
  const p99 = (id) => run.cases.find((c) => c.id === id && c.ok)?.p99;
  for (const fw of byFramework.keys()) {
    const b = p99(`${fw}/b-prmkit-reused`);
    const a = p99(`${fw}/a-none`);
    if (b === undefined || a === undefined) continue;
    lines.push(
      `- ${fw}: p99 of (b) reused token ${fmt(b)} ms against ${fmt(a)} ms with no auth (medians over the rounds): ${b - a <= 1 ? 'within' : 'more than'} 1 ms (target: within 1 ms).`,
    );
  }
  lines.push('');
  for (const [fw, cases] of byFramework) {
    lines.push(
      `### ${fw}`,
      '',
      '| case | req/s, median (min–max) | server CPU µs/request | server cores busy | p50 ms | p99 ms | requests | non-2xx | errors |',
      '|---|---:|---:|---:|---:|---:|---:|---:|---:|',
    );
    for (const r of cases) {
      if (!r.ok) {
        lines.push(`| ${r.label} | – | – | – | – | – | – | – | ${r.reason} |`);
        continue;
      }
      lines.push(
        `| ${r.label} | ${range(r.rps, 0)} | ${fmt(r.serverCpuMicroseconds)} | ${fmt(r.serverCores, 2)} | ${fmt(r.p50)} | ${fmt(r.p99)} | ${r.total} | ${r.non2xx} | ${r.errors} |`,
      );
    }
    lines.push('');
  }
  if (run.hostile) lines.push('### Hostile load', '', ...hostileTable(run.hostile), '');
  if (run.micro) {
    lines.push(
      '### In process: verifying a new token',
      '',
      `One process, one token at a time, counted per CPU-second (process.cpuUsage: Web Crypto's thread-pool time counts); ${run.micro.settings.rounds} rounds of ${run.micro.settings.sliceMs} ms slices, interleaved; pool of ${run.micro.settings.pool} tokens. Load average before: ${run.micro.loadAverage.before}; after: ${run.micro.loadAverage.after}.`,
      '',
      ...microTable(run.micro),
    );
  }
  return lines.join('\n');
}

/** Replaces the generated section of `file`, keeping the hand-written text around it. */
export function writeResults(file, markdown) {
  const block = `${START}\n${markdown}\n${END}`;
  const current = existsSync(file)
    ? readFileSync(file, 'utf8')
    : `# Benchmarks\n\n${START}\n${END}\n`;
  const start = current.indexOf(START);
  const end = current.indexOf(END);
  const next =
    start >= 0 && end > start
      ? current.slice(0, start) + block + current.slice(end + END.length)
      : `${current.trimEnd()}\n\n${block}\n`;
  writeFileSync(file, next);
}
