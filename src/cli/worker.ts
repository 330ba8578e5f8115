/** A worker thread of `perfsheet check --jobs N`: checks the files it is sent, one at a time. */
import { parentPort } from 'worker_threads';
import { CheckJob, checkFile } from './check-file';

parentPort?.on('message', (job: CheckJob) => {
  void checkFile(job).then((outcome) => parentPort!.postMessage(outcome));
});
