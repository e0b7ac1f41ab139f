// @ts-check
// The Node.js language host the Pulumi CLI starts as `pulumi-language-nodejs` when no official one is
// installed. Pulumi's own host is a Go module that the Go module proxy reachable here does not serve,
// so this small host speaks the same LanguageRuntime gRPC protocol and runs programs exactly the way
// the official one does: a child `node` process on `@pulumi/pulumi/cmd/run` with the same flags and
// environment. With a normal Pulumi install the official host is used instead (see toolchain/setup.ts).

const { spawn } = require('node:child_process');
const path = require('node:path');
const fs = require('node:fs');

/** Resolves a module the way the program will: from the program's directory first. */
function requireFromProgram(programDir, id) {
  return require(require.resolve(id, { paths: [programDir, __dirname] }));
}

const projectRoot = path.resolve(__dirname, '..');
const grpc = requireFromProgram(projectRoot, '@grpc/grpc-js');
const langproto = requireFromProgram(projectRoot, '@pulumi/pulumi/proto/language_pb');
const langrpc = requireFromProgram(projectRoot, '@pulumi/pulumi/proto/language_grpc_pb');
const pluginproto = requireFromProgram(projectRoot, '@pulumi/pulumi/proto/plugin_pb');
const sdkVersion = requireFromProgram(projectRoot, '@pulumi/pulumi/package.json').version;

// Exit code with which @pulumi/pulumi/cmd/run says it already showed the user an actionable message.
const EXIT_AFTER_USER_MESSAGE = 32;

// The engine's address is the only positional argument; flags such as -tracing/-root may precede it.
const engineAddress =
  process.argv
    .slice(2)
    .filter((arg) => !arg.startsWith('-'))
    .pop() ?? '';

/** @param {import('@grpc/grpc-js').ServerUnaryCall<any, any>} call */
function unary(handler) {
  return (call, callback) => {
    Promise.resolve()
      .then(() => handler(call.request))
      .then(
        (response) => callback(null, response),
        (err) => callback(err, null),
      );
  };
}

function runProgram(req) {
  const info = req.getInfo();
  const programDir = info?.getProgramDirectory() || req.getPwd();
  const entryPoint = info?.getEntryPoint() || req.getProgram() || '.';
  const options = info?.getOptions()?.toJavaScript() ?? {};
  const runPath = require.resolve('@pulumi/pulumi/cmd/run', { paths: [programDir] });

  const args = [runPath];
  const flag = (name, value) => {
    if (value !== undefined && value !== '') args.push(`--${name}`, String(value));
  };
  flag('monitor', req.getMonitorAddress());
  flag('engine', engineAddress);
  flag('organization', req.getOrganization());
  flag('project', req.getProject());
  flag('root-directory', info?.getRootDirectory());
  flag('stack', req.getStack());
  flag('pwd', programDir);
  if (req.getDryrun()) args.push('--dry-run');
  flag('parallel', req.getParallel());
  args.push(entryPoint, ...req.getArgsList());

  const config = Object.fromEntries(req.getConfigMap().entries());
  const env = {
    ...process.env,
    PULUMI_CONFIG: JSON.stringify(config),
    PULUMI_CONFIG_SECRET_KEYS: JSON.stringify(req.getConfigsecretkeysList()),
  };
  if (options.typescript !== false) env.PULUMI_NODEJS_TYPESCRIPT = 'true';
  if (typeof options.tsconfig === 'string') env.PULUMI_NODEJS_TSCONFIG_PATH = options.tsconfig;
  const nodeargs = typeof options.nodeargs === 'string' ? options.nodeargs.split(/\s+/).filter(Boolean) : [];

  return new Promise((resolve) => {
    const child = spawn(process.execPath, [...nodeargs, ...args], { cwd: programDir, env, stdio: 'inherit' });
    programs.add(child);
    child.on('exit', () => programs.delete(child));
    const response = new langproto.RunResponse();
    child.on('error', (err) => {
      response.setError(`Problem executing program (could not run language executor): ${err.message}`);
      resolve(response);
    });
    child.on('exit', (code, signal) => {
      if (code === EXIT_AFTER_USER_MESSAGE) response.setBail(true);
      else if (signal) response.setError(`Program exited unexpectedly (signal ${signal})`);
      else if (code !== 0) response.setError(`Program exited with non-zero exit code: ${code}`);
      resolve(response);
    });
  });
}

/** The programs this host is running: they go when the engine goes. */
const programs = new Set();

/**
 * Exits, and takes the programs with it, once the engine stops answering. Pulumi's own hosts do the same:
 * `rpcutil.Healthcheck` (pulumi/pulumi sdk/go/common/util/rpcutil/health.go) calls grpc.health.v1 Health/Check
 * on the engine address and cancels the host on any error but Unimplemented. They check every 5 minutes;
 * this host checks every second, because a killed CLI (Ctrl-C twice, an OOM, a CI timeout) otherwise leaves
 * it and its program waiting, and a machine that runs the suite often fills its memory. Two failures in a
 * row, each with a generous deadline, so a busy engine is not mistaken for a gone one.
 */
function exitWhenEngineGone(address) {
  const client = new grpc.Client(address, grpc.credentials.createInsecure());
  const empty = Buffer.alloc(0);
  let failures = 0;
  const check = () => {
    const deadline = Date.now() + ENGINE_CHECK_DEADLINE_MS;
    client.makeUnaryRequest(
      '/grpc.health.v1.Health/Check',
      (b) => b,
      (b) => b,
      empty,
      { deadline },
      (err) => {
        failures = err && err.code !== grpc.status.UNIMPLEMENTED ? failures + 1 : 0;
        if (failures < 2) return setTimeout(check, ENGINE_CHECK_INTERVAL_MS).unref();
        console.error(`pulumi-language-nodejs: the engine at ${address} stopped answering (${err.details || err.code}); exiting`);
        for (const child of programs) child.kill('SIGKILL');
        process.exit(1);
      },
    );
  };
  setTimeout(check, ENGINE_CHECK_INTERVAL_MS).unref();
}
const ENGINE_CHECK_INTERVAL_MS = 1000;
const ENGINE_CHECK_DEADLINE_MS = 10_000;

function programDependencies(req) {
  const programDir = req.getInfo()?.getProgramDirectory() || req.getPwd() || projectRoot;
  const pkg = JSON.parse(fs.readFileSync(path.join(programDir, 'package.json'), 'utf8'));
  const response = new langproto.GetProgramDependenciesResponse();
  for (const name of Object.keys({ ...pkg.dependencies, ...(req.getTransitivedependencies() ? pkg.devDependencies : {}) })) {
    let version = '';
    try {
      // Read the file rather than require it: packages with an `exports` map (stripe) hide package.json.
      version = JSON.parse(fs.readFileSync(path.join(programDir, 'node_modules', name, 'package.json'), 'utf8')).version;
    } catch {
      // Not installed: reported without a version, as the official host does.
    }
    const dep = new langproto.DependencyInfo();
    dep.setName(name);
    dep.setVersion(version);
    response.addDependencies(dep);
  }
  return response;
}

const server = new grpc.Server({ 'grpc.max_receive_message_length': 400 * 1024 * 1024 });
server.addService(langrpc.LanguageRuntimeService, {
  handshake: unary(() => new langproto.LanguageHandshakeResponse()),
  // Plugins are loaded on demand when a program registers a resource of their package, so a stack that
  // declares no AWS resource never asks for the AWS plugin, even though @pulumi/aws is installed.
  getRequiredPlugins: unary(() => new langproto.GetRequiredPluginsResponse()),
  getRequiredPackages: unary(() => new langproto.GetRequiredPackagesResponse()),
  run: unary(runProgram),
  getPluginInfo: unary(() => new pluginproto.PluginInfo().setVersion(sdkVersion)),
  installDependencies: (call) => call.end(),
  runtimeOptionsPrompts: unary(() => new langproto.RuntimeOptionsResponse()),
  about: unary(() => new langproto.AboutResponse().setExecutable(process.execPath).setVersion(process.version)),
  getProgramDependencies: unary(programDependencies),
});
server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (err, port) => {
  if (err) {
    console.error(`pulumi-language-nodejs: could not start the gRPC server: ${err.message}`);
    process.exit(1);
  }
  // The CLI reads the port from the first line of stdout.
  process.stdout.write(`${port}\n`);
  if (engineAddress) exitWhenEngineGone(engineAddress);
});
