// A function ready to run locally: its settings, the image to run, the merged environment, and the
// checks that must pass before any container starts (image present, architecture runnable).
import { architectureProblem, engineRunsHere } from './architecture';
import { EnvMap } from './environment';
import { AppFunction } from '../../assembly/app-function';
import { ImageRunConfig, engineInfo, inspectImage } from '../../docker';
import { SandboxDebug } from '../debug/debug-plan';
import { runtimeHost } from '../runtime/runtime-host';
import { Sandbox } from '../runtime/sandbox';

export interface LocalFunctionOptions {
  readonly fn: AppFunction;
  /** Image reference, already built or pulled. */
  readonly image: string;
  /** What `docker image inspect` said of it, when the caller inspected it already. @default inspected here */
  readonly imageInfo?: ImageRunConfig;
  /** Template environment + --env-vars overrides + credentials, merged. */
  readonly environment: EnvMap;
  /** What --env-vars set for this function (--watch reloads it when that changes). */
  readonly overrides?: EnvMap;
  readonly region: string;
  readonly account?: string;
  /** The build context and Dockerfile of the image, when the app builds it (the debugger maps /var/task back to it). */
  readonly buildContext?: { readonly directory: string; readonly dockerfile: string };
  /** Set while the image is still being built (--watch builds it after the first environment runs): starts wait for it. */
  readonly imageReady?: Promise<void>;
}

export class LocalFunction {
  /** Checks the image and the architecture, so a run that cannot work fails before starting anything. */
  static async prepare(o: LocalFunctionOptions): Promise<LocalFunction> {
    const info = o.imageInfo ?? await inspectImage(o.image);
    if (!info) throw new Error(`${o.fn.path}: image ${o.image} is not in the local Docker engine. Build it (drop --no-build) or pull it first.`);
    const engine = await engineInfo();
    const problem = architectureProblem(o.fn, info, engine, engineRunsHere());
    if (problem) throw new Error(problem);
    return new LocalFunction(o, info);
  }

  private debugSettings?: SandboxDebug;

  private constructor(public readonly o: LocalFunctionOptions, public readonly imageInfo: ImageRunConfig) {}

  get spec(): AppFunction {
    return this.o.fn;
  }

  /** The debugger settings, when this function runs under one. */
  get debug(): SandboxDebug | undefined {
    return this.debugSettings;
  }

  /** Runs every new environment of this function under a debugger (after prepare: the image's language is known by then). */
  attachDebugger(debug: SandboxDebug): void {
    this.debugSettings = debug;
  }

  /** Starts a new execution environment (held: see SandboxOptions.held); `onOutput` receives its output live. */
  async startSandbox(onOutput?: (chunk: Buffer) => void, o: { readonly held?: boolean } = {}): Promise<Sandbox> {
    await this.o.imageReady;
    return Sandbox.start({
      fn: this.o.fn,
      image: this.o.image,
      imageInfo: this.imageInfo,
      environment: this.o.environment,
      region: this.o.region,
      account: this.o.account,
      host: await runtimeHost(),
      onOutput,
      debug: this.debug,
      held: o.held,
    });
  }
}
