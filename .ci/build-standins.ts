// Builds the Lambda base stand-ins once, before the test runs: jest's parallel workers would
// otherwise each start the same multi-minute build.
import { ensureStandIns } from '../test/integ/support/standins';

ensureStandIns().then(
  s => console.log(`stand-ins ready: ${s.nodeTag}, ${s.pythonTag}`),
  e => { console.error(e); process.exit(1); },
);
