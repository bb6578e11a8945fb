import { apiThroughput } from './api-throughput';
import { banditRegret } from './bandit-regret';
import { categorizeQuality } from './categorize-quality';
import { categorizeThroughput } from './categorize-throughput';
import type { Benchmark } from './harness';
import { writeResult } from './harness';
import { queueThroughput } from './queue-throughput';
import { registerThroughput } from './register-throughput';
import { s3Transfer } from './s3-transfer';
import { storeThroughputPostgres } from './store-throughput-postgres';
import { storeThroughputSqlite } from './store-throughput-sqlite';
import { uploadReliability } from './upload-reliability';
import { zipExport } from './zip-export';

const benchmarks: Benchmark[] = [
  storeThroughputSqlite,
  storeThroughputPostgres,
  zipExport,
  s3Transfer,
  categorizeThroughput,
  categorizeQuality,
  registerThroughput,
  uploadReliability,
  banditRegret,
  queueThroughput,
  apiThroughput,
];

const wanted = process.argv.slice(2);
const selected =
  wanted.length === 0 ? benchmarks : benchmarks.filter((each) => wanted.includes(each.name));
if (selected.length === 0) {
  console.error(
    `No benchmark named ${wanted.join(', ')}; known: ${benchmarks.map((each) => each.name).join(', ')}`,
  );
  process.exit(2);
}

for (const benchmark of selected) {
  console.log(`▶ ${benchmark.name}: ${benchmark.description}`);
  const result = await benchmark.run();
  const path = writeResult(benchmark, result);
  console.log(
    JSON.stringify(
      { metrics: result.metrics, ratios: result.ratios, targets: result.targets },
      null,
      2,
    ),
  );
  console.log(`  → ${path}`);
}
