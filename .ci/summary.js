// Prints the plain "N passed, N failed[, N skipped]" line CI reads, from jest's --json results file.
const fs = require('node:fs');

const file = process.argv[2] || '.jest-results.json';
let results;
try {
  results = JSON.parse(fs.readFileSync(file, 'utf8'));
} catch (error) {
  console.log(`jest wrote no results (${error.message}): the build or jest itself failed`);
  console.log('0 passed, 1 failed');
  process.exit(0);
}
const failedSuites = results.numRuntimeErrorTestSuites || 0;
for (const suite of results.testResults || []) {
  if (suite.status === 'failed' && suite.message) console.log(`FAILED ${suite.name}\n${suite.message.split('\n').slice(0, 30).join('\n')}`);
}
const failed = results.numFailedTests + failedSuites;
const skipped = results.numPendingTests + (results.numTodoTests || 0);
console.log(`${results.numPassedTests} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
