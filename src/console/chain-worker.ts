/**
 * The hash chain checked off the server's event loop: every report's body is parsed and hashed
 * again (tens of megabytes for waves of thousands of partners), which would hold every page
 * meanwhile. Runs as a worker thread; posts the verdict, or the error's message.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { connectTarget, readReports } from '../load';
import { verifyChain } from '../verify';

async function check(url: string): Promise<void> {
  const db = connectTarget(url, { poolMax: 1, applicationName: 'ppm console chain' });
  try {
    parentPort!.postMessage({ verdict: verifyChain(await readReports(db)) });
  } catch (error) {
    parentPort!.postMessage({ error: error instanceof Error ? error.message : String(error) });
  } finally {
    await db.destroy();
  }
}

if (parentPort) void check((workerData as { url: string }).url);
