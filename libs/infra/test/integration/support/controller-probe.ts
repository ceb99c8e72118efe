import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';

/**
 * Runs ControllerAclProbe.java (an Admin client bootstrapped to a KRaft controller listener, asking
 * for every ACL) with Kafka's own client jars from `kafkaLibs`, anonymous or as `user password`,
 * over TLS verified against `caFile` (undefined: plain text, SHOP_TLS=off).
 * Resolves to its verdict: "acls <count>" or "refused <exception>: <message>" (the client's own
 * log lines, printed before it, are dropped).
 */
export async function probeController(kafkaLibs: string, port: number, caFile: string | undefined, ...credentials: [] | [user: string, password: string]): Promise<string | undefined> {
  // With credentials, a timeout is tried again (twice at most): on a machine busy with other suites
  // the client has timed out before the controller answered; a refusal is an answer, not retried.
  for (let attempt = 1; ; attempt++) {
    const { stdout } = await promisify(execFile)('java', ['-cp', `${kafkaLibs}/*`, join(__dirname, 'ControllerAclProbe.java'), `127.0.0.1:${port}`, caFile ?? 'plain', ...credentials], { timeout: 90_000 });
    const verdict = stdout.trim().split('\n').at(-1);
    if (credentials.length === 0 || attempt === 3 || !verdict?.startsWith('refused TimeoutException')) return verdict;
  }
}
