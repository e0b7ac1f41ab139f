/**
 * A real S3 server for the shared-state tests: versitygw (built by `npm run setup -- --ci-tools` from
 * toolchain/ci-tools) with its posix backend on a temporary folder, listening on loopback.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { readManifest } from '../../toolchain/setup';
import { freePort } from '../conformance/replay';

export interface S3Server {
  /** http://127.0.0.1:PORT */
  endpoint: string;
  /** Credentials the server accepts, as the AWS SDK inside Pulumi reads them from the environment. */
  env: { AWS_ACCESS_KEY_ID: string; AWS_SECRET_ACCESS_KEY: string; AWS_REGION: string };
  /** The folder holding the buckets: each sub-folder is a bucket, each file below it an object. */
  root: string;
  createBucket(name: string): void;
  /** The `pulumi login` URL of a bucket, in the form Pulumi's S3 backend (gocloud.dev s3blob) reads. */
  backendUrl(bucket: string): string;
  close(): Promise<void>;
}

const REGION = 'us-east-1';

async function answering(endpoint: string, server: ChildProcess, log: () => string): Promise<void> {
  // Bounded: 100 tries, 100 ms apart.
  for (let attempt = 0; attempt < 100; attempt++) {
    if (server.exitCode !== null) throw new Error(`versitygw exited with ${server.exitCode}:\n${log()}`);
    const up = await fetch(endpoint).then(
      (response) => response.headers.get('server') === 'VERSITYGW',
      () => false,
    );
    if (up) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`versitygw did not answer on ${endpoint}:\n${log()}`);
}

export async function startS3Server(): Promise<S3Server> {
  const { s3Server } = readManifest();
  if (!s3Server || !fs.existsSync(s3Server)) throw new Error('The S3 server is not built: run `npm run setup -- --ci-tools`.');
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 's3-posix-'));
  const accessKey = `AKIA${crypto.randomBytes(8).toString('hex').toUpperCase()}`;
  const secretKey = crypto.randomBytes(20).toString('hex');
  const port = await freePort();
  const endpoint = `http://127.0.0.1:${port}`;
  let output = '';
  const server = spawn(
    s3Server,
    ['--access', accessKey, '--secret', secretKey, '--region', REGION, '--port', `127.0.0.1:${port}`, '--quiet', 'posix', root],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  server.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  server.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  try {
    await answering(endpoint, server, () => output);
  } catch (error) {
    server.kill('SIGKILL');
    throw error;
  }
  return {
    endpoint,
    env: { AWS_ACCESS_KEY_ID: accessKey, AWS_SECRET_ACCESS_KEY: secretKey, AWS_REGION: REGION },
    root,
    createBucket: (name) => fs.mkdirSync(path.join(root, name)),
    backendUrl: (bucket) => `s3://${bucket}?endpoint=${encodeURIComponent(endpoint)}&region=${REGION}&use_path_style=true`,
    close: () =>
      new Promise<void>((resolve) => {
        const done = () => {
          fs.rmSync(root, { recursive: true, force: true });
          resolve();
        };
        if (server.exitCode !== null) return done();
        server.once('exit', done);
        server.kill('SIGTERM');
      }),
  };
}
