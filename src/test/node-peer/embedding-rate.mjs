// The peer of AsyncJobsBenchmarkIT: transformers.js embedding the benchmark's texts with the service's own ONNX
// file and tokenizer, as a Node user would (pipeline, batches in arrival order, padded). Prints one JSON line per
// round: {"threads", "batch", "texts", "seconds", "textsPerSecond"}.
// usage: node embedding-rate.mjs MODEL_FOLDER TEXTS_FILE THREADS BATCH POOLING ROUNDS
//   MODEL_FOLDER holds config.json, tokenizer.json, tokenizer_config.json and onnx/model_quantized.onnx
import { env, pipeline } from '@huggingface/transformers';
import { readFileSync } from 'node:fs';
import { basename, dirname } from 'node:path';

const [folder, textsFile, threads, batch, pooling, rounds] = process.argv.slice(2);
env.allowRemoteModels = false;
env.localModelPath = dirname(folder) + '/';
const texts = JSON.parse(readFileSync(textsFile, 'utf8'));
const extractor = await pipeline('feature-extraction', basename(folder), {
  dtype: 'q8',
  session_options: { intraOpNumThreads: Number(threads), interOpNumThreads: 1 },
});
const size = Number(batch);
await extractor(texts.slice(0, 64), { pooling, normalize: true }); // warm-up
for (let round = 0; round < Number(rounds); round++) {
  const started = performance.now();
  for (let i = 0; i < texts.length; i += size) {
    await extractor(texts.slice(i, i + size), { pooling, normalize: true });
  }
  const seconds = (performance.now() - started) / 1000;
  console.log(JSON.stringify({ threads: Number(threads), batch: size, texts: texts.length, seconds,
    textsPerSecond: texts.length / seconds }));
}
