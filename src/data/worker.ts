/**
 * Entry point of a data worker thread (`pool.ts` starts it): runs the batch tasks it is sent, one at a time, and
 * posts back each result with its batch's buffers transferred (no copy). libvips runs one thread per image
 * (`sharp.concurrency(1)`): the parallelism is the number of workers and of images in flight.
 */
import {parentPort} from 'node:worker_threads';
import sharp from 'sharp';
import {runBatch, taskError, type BatchTask} from './batch';

/** A message to a worker: a task and its id. */
export interface WorkerRequest {
  id: number;
  task: BatchTask;
}

/** A worker's answer to one request. */
export type WorkerReply = {id: number; result: Awaited<ReturnType<typeof runBatch>>} | {id: number; error: ReturnType<typeof taskError>};

if (parentPort) {
  const port = parentPort;
  sharp.concurrency(1);
  sharp.cache(false);
  port.on('message', (request: WorkerRequest) => {
    runBatch(request.task).then(
      (result) => {
        const transfer = result.batch ? [result.batch.images.buffer, result.batch.labels.buffer] : [];
        port.postMessage({id: request.id, result} satisfies WorkerReply, transfer as ArrayBuffer[]);
      },
      (error: unknown) => port.postMessage({id: request.id, error: taskError(error)} satisfies WorkerReply),
    );
  });
}
