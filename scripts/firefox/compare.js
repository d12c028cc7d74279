'use strict';
// Compares what Firefox printed with what `corskit check` predicts, word for word.
//   node compare.js scenarios.json firefox.jsonl corskit-dir report.json
// corskit-dir holds <index>.json: the `corskit check --format json` output for scenario <index> (0-based).
// A scenario agrees when:
//   - the model's firefoxMessage equals Firefox's first "Cross-Origin Request Blocked" line (both absent when Firefox let
//     the request through),
//   - the model's firefoxConsole equals every "Cross-Origin Request" line Firefox printed, in order (a failed preflight
//     makes Firefox add "CORS request did not succeed" lines after the reason), and
//   - Firefox printed a block exactly when the fetch() failed.
// Prints one line per scenario and the summary "N scenarios, N agree, N differ"; exits 1 on any difference.

const fs = require('node:fs');
const path = require('node:path');

const [scenariosFile, firefoxFile, corskitDir, reportFile] = process.argv.slice(2);
if (!reportFile) {
  console.error('usage: node compare.js scenarios.json firefox.jsonl corskit-dir report.json');
  process.exit(2);
}

const blocked = 'Cross-Origin Request Blocked';
const scenarios = JSON.parse(fs.readFileSync(scenariosFile, 'utf8'));
const firefox = new Map(fs.readFileSync(firefoxFile, 'utf8').split('\n').filter(l => l.trim()).map(l => JSON.parse(l)).map(r => [r.name, r]));
const rows = [];
scenarios.forEach((scenario, index) => {
  const seen = firefox.get(scenario.name);
  const problems = [];
  let model = null;
  try {
    model = JSON.parse(fs.readFileSync(path.join(corskitDir, `${index}.json`), 'utf8'));
  } catch (error) {
    problems.push(`no corskit output: ${error.message}`);
  }

  if (!seen) {
    problems.push('Firefox did not run it');
  }

  const lines = seen ? seen.consoleMessages.filter(m => m.startsWith('Cross-Origin Request ')) : [];
  const firefoxMessage = lines.find(m => m.startsWith(blocked)) ?? null;
  if (seen && model) {
    const predicted = model.firefoxMessage ?? null;
    if (predicted !== firefoxMessage) {
      problems.push(`message differs:\n      firefox: ${firefoxMessage}\n      corskit: ${predicted}`);
    }

    if (!Array.isArray(model.firefoxConsole)) {
      problems.push('corskit printed no firefoxConsole');
    } else if (JSON.stringify(model.firefoxConsole) !== JSON.stringify(lines)) {
      problems.push(`console differs:\n      firefox: ${JSON.stringify(lines)}\n      corskit: ${JSON.stringify(model.firefoxConsole)}`);
    }

    if (seen.ok === (firefoxMessage !== null)) {
      problems.push(`Firefox ${seen.ok ? 'let the request through but printed a block' : 'blocked the request without a block message'}`);
    }
  }

  rows.push({
    index,
    name: scenario.name,
    agree: problems.length === 0,
    problems,
    firefox: seen ? { ok: seen.ok, status: seen.status, error: seen.error, console: lines } : null,
    corskit: model ? { allowed: model.allowed, failedCheck: model.failedCheck, firefoxMessage: model.firefoxMessage ?? null, firefoxConsole: model.firefoxConsole ?? null } : null,
  });
});

for (const row of rows) {
  console.log(`${row.agree ? 'agree ' : 'DIFFER'}  ${row.name}${row.firefox ? (row.firefox.ok ? `  (allowed, ${row.firefox.status})` : '  (blocked)') : ''}`);
  for (const problem of row.problems) {
    console.log(`    ${problem}`);
  }
}

const agree = rows.filter(r => r.agree).length;
const summary = `${rows.length} scenarios, ${agree} agree, ${rows.length - agree} differ`;
fs.writeFileSync(reportFile, JSON.stringify({ summary, rows }, null, 2) + '\n');
console.log(summary);
process.exit(agree === rows.length ? 0 : 1);
