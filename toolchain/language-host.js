// @ts-check
// The Node.js language host the Pulumi CLI starts as `pulumi-language-nodejs` when no official one is
// installed. Pulumi's own host is a Go module that the Go module proxy reachable here does not serve,
// so this small host speaks the same LanguageRuntime gRPC protocol and runs programs exactly the way
// the official one does: a child `node` process on `@pulumi/pulumi/cmd/run` with the same flags and
// environment, and policy packs the same way (RunPlugin, below). With a normal Pulumi install the official
// host is used instead (see toolchain/setup.ts).

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
const analyzerproto = requireFromProgram(projectRoot, '@pulumi/pulumi/proto/analyzer_pb');
const analyzerrpc = requireFromProgram(projectRoot, '@pulumi/pulumi/proto/analyzer_grpc_pb');

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

const MAX_MESSAGE_BYTES = 400 * 1024 * 1024;

/**
 * RunPlugin for a policy pack (the only plugin kind the CLI asks this host to run). Pulumi CLI 3.274 no
 * longer execs a `pulumi-analyzer-policy` script from PATH for a pack whose runtime has a language host:
 * `ExecPlugin` (pkg/v3 resource/plugin/plugin.go), called by `NewPolicyAnalyzer`
 * (pkg/v3 resource/plugin/analyzer_plugin.go), loads PulumiPolicy.yaml and calls the runtime's RunPlugin
 * with kind `analyzer`. This does what Pulumi's own Node host does there (`nodeLanguageHost.RunPlugin`,
 * sdk/nodejs/cmd/pulumi-language-nodejs/main.go, with `sdk.PolicyProxy`, sdk/go policy_proxy.go):
 * - runs `node <@pulumi/pulumi/cmd/run-policy-pack> <nodeargs> <args from the engine> <pack directory>`,
 *   the module resolved from the pack directory, with the pack directory as working directory;
 * - first answers the engine itself as a proxy analyzer (its port is the first stdout line the CLI reads),
 *   waits for ConfigureStack, and only then starts the pack with the stack's organization, project,
 *   stack, dry-run flag and config in PULUMI_NODEJS_* and PULUMI_CONFIG, so `new pulumi.Config()`
 *   inside a pack reads the stack's config; every later call is forwarded to the pack.
 * The child's output goes back over the RunPlugin stream, as rpcutil.MakeRunPluginStreams does.
 */
function runPlugin(call) {
  const req = call.request;
  const send = (field, data) => {
    const response = new langproto.RunPluginResponse();
    response[field](data);
    call.write(response);
  };
  // grpc-js ends a server stream with an error status on 'error' (server-call.js).
  let ended = false;
  const fail = (message, code = grpc.status.UNKNOWN) => {
    if (ended) return;
    ended = true;
    call.emit('error', { code, details: message });
  };
  if (req.getKind() !== 'analyzer') {
    fail(`this host runs policy packs only, not ${req.getKind()} plugins`, grpc.status.UNIMPLEMENTED);
    return;
  }
  const info = req.getInfo();
  const packDir = info?.getProgramDirectory() || req.getPwd();
  const options = info?.getOptions()?.toJavaScript() ?? {};
  let runPath;
  try {
    runPath = require.resolve('@pulumi/pulumi/cmd/run-policy-pack', { paths: [packDir] });
  } catch (err) {
    // The CLI turns this exact text into "the policy pack's dependencies are not installed".
    send('setStderr', Buffer.from(`Cannot find module '@pulumi/pulumi/cmd/run-policy-pack' from ${packDir}\n`));
    fail(err.message);
    return;
  }
  const env = Object.fromEntries(
    req.getEnvList().map((entry) => {
      const at = entry.indexOf('=');
      return [entry.slice(0, at), entry.slice(at + 1)];
    }),
  );
  if (options.typescript !== false) env.PULUMI_NODEJS_TYPESCRIPT = 'true';
  if (typeof options.tsconfig === 'string') env.PULUMI_NODEJS_TSCONFIG_PATH = options.tsconfig;
  const nodeargs = typeof options.nodeargs === 'string' ? options.nodeargs.split(/\s+/).filter(Boolean) : [];
  // Pulumi's host puts the node arguments after the module, and the pack directory last for analyzers.
  const args = [runPath, ...nodeargs, ...req.getArgsList(), packDir];

  let configure; // the engine's ConfigureStack request, once it came (null: another call came first)
  let configured;
  const configuration = new Promise((resolve) => {
    configured = (value) => {
      if (configure === undefined) configure = value;
      resolve(configure);
    };
  });
  let attached;
  let attachFailed;
  const client = new Promise((resolve, reject) => {
    attached = resolve;
    attachFailed = reject;
  });
  client.catch(() => {});

  const proxy = new grpc.Server({ 'grpc.max_receive_message_length': MAX_MESSAGE_BYTES });
  const forward = (method) => (proxied, callback) => {
    // As PolicyProxy.awaitClient: a call before ConfigureStack starts the pack without stack config.
    configured(null);
    client.then(
      (pack) => pack[method](proxied.request, callback),
      (err) => callback({ code: grpc.status.UNAVAILABLE, details: `policy pack not started: ${err.message}` }),
    );
  };
  const handlers = {};
  for (const method of Object.keys(analyzerrpc.AnalyzerService)) handlers[method] = forward(method);
  handlers.handshake = (_proxied, callback) => callback(null, new analyzerproto.AnalyzerHandshakeResponse());
  handlers.configureStack = (proxied, callback) => {
    configured(proxied.request);
    callback(null, new analyzerproto.AnalyzerStackConfigureResponse());
  };
  proxy.addService(analyzerrpc.AnalyzerService, handlers);

  let child;
  call.on('cancelled', () => child?.kill('SIGKILL'));
  proxy.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), async (err, port) => {
    if (err) return fail(`could not start policy pack proxy: ${err.message}`);
    send('setStdout', Buffer.from(`${port}\n`));
    const stack = await configuration;
    if (stack) {
      const set = (name, value) => {
        if (value !== '') env[name] = value;
      };
      set('PULUMI_NODEJS_ORGANIZATION', stack.getOrganization());
      set('PULUMI_NODEJS_PROJECT', stack.getProject());
      set('PULUMI_NODEJS_STACK', stack.getStack());
      set('PULUMI_NODEJS_DRY_RUN', String(stack.getDryRun()));
      set('PULUMI_CONFIG', JSON.stringify(Object.fromEntries(stack.getConfigMap().entries())));
    }
    child = spawn(process.execPath, args, { cwd: packDir, env, stdio: ['ignore', 'pipe', 'pipe'] });
    programs.add(child);
    child.stderr.on('data', (data) => send('setStderr', data));
    let portLine = '';
    const onStdout = (data) => {
      if (portLine.endsWith('\n')) return send('setStdout', data);
      const text = data.toString('utf8');
      const end = text.indexOf('\n');
      portLine += end === -1 ? text : text.slice(0, end + 1);
      if (end === -1) return;
      const rest = text.slice(end + 1);
      if (rest) send('setStdout', Buffer.from(rest));
      const packPort = Number.parseInt(portLine.trim(), 10);
      if (!Number.isInteger(packPort)) {
        attachFailed(new Error(`could not read policy pack port from "${portLine.trim()}"`));
        return;
      }
      const AnalyzerClient = grpc.makeGenericClientConstructor(analyzerrpc.AnalyzerService, 'Analyzer');
      const pack = new AnalyzerClient(`127.0.0.1:${packPort}`, grpc.credentials.createInsecure(), {
        'grpc.max_receive_message_length': MAX_MESSAGE_BYTES,
      });
      if (!configure) return attached(pack);
      // Forward the configuration the proxy answered for; older packs that lack ConfigureStack are fine.
      pack.configureStack(configure, (configureErr) => {
        if (configureErr && configureErr.code !== grpc.status.UNIMPLEMENTED) {
          attachFailed(new Error(`policy pack configuration failed: ${configureErr.details || configureErr.message}`));
        } else attached(pack);
      });
    };
    child.stdout.on('data', onStdout);
    child.on('error', (spawnErr) => {
      attachFailed(spawnErr);
      fail(`Problem executing plugin program (could not run language executor): ${spawnErr.message}`);
    });
    child.on('exit', (code, signal) => {
      programs.delete(child);
      attachFailed(new Error(`the policy pack exited (${signal ?? code})`));
      proxy.forceShutdown();
      if (code === 0 && !ended) {
        ended = true;
        call.end();
      } else fail(signal ? `Program exited unexpectedly (signal ${signal})` : `Program exited with non-zero exit code: ${code}`);
    });
  });
}

const server = new grpc.Server({ 'grpc.max_receive_message_length': MAX_MESSAGE_BYTES });
server.addService(langrpc.LanguageRuntimeService, {
  handshake: unary(() => new langproto.LanguageHandshakeResponse()),
  // Plugins are loaded on demand when a program registers a resource of their package, so a stack that
  // declares no AWS resource never asks for the AWS plugin, even though @pulumi/aws is installed.
  getRequiredPlugins: unary(() => new langproto.GetRequiredPluginsResponse()),
  getRequiredPackages: unary(() => new langproto.GetRequiredPackagesResponse()),
  run: unary(runProgram),
  runPlugin,
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
