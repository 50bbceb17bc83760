// Builds the Lambda base stand-ins once, before the test runs: jest's parallel workers would
// otherwise each start the same multi-minute build.
import { ensureJavaStandIn, ensureStandIns } from '../test/integ/support/standins';

// One after the other: apt-heavy builds only contend on a small machine.
ensureStandIns().then(async s => ({ ...s, javaTag: await ensureJavaStandIn() })).then(
  s => console.log(`stand-ins ready: ${s.nodeTag}, ${s.pythonTag}, ${s.javaTag}`),
  e => { console.error(e); process.exit(1); },
);
