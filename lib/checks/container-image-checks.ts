import * as fs from 'fs';
import * as path from 'path';
import { Annotations, AspectPriority, Aspects, IAspect, Size, Stage, Token } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { SubjectDiscovery } from './discovery';
import { CheckEngine, Finding, suppressionKey, UNUSED_SUPPRESSION } from './engine';
import { IImageRule, RuleLevel } from './rule';
import * as builtInRules from './rules';
import { SizeEstimator } from './size-estimate';
import { ImageSubject } from './subject';
import { addSuppression, recordInTemplate, suppressionsOn } from './suppressions';
import { measureRequested, SynthMeasurer } from '../measure/synth-measurer';

/** Options of the ContainerImageChecks Aspect. */
export interface ContainerImageChecksProps {
  /**
   * Report warnings as errors, so `cdk synth` fails on them (for CI).
   *
   * @default false
   */
  readonly strict?: boolean;

  /**
   * Size budget of every function image without its own `maxImageSize` (CCF010).
   *
   * @default - no budget; only functions with `maxImageSize` are checked against one
   */
  readonly defaultMaxImageSize?: Size;

  /**
   * File name, inside the cloud assembly directory, to write all findings to as JSON
   * (suppressed ones included, with their reason), for review tools.
   *
   * @default - no findings file
   */
  readonly findingsFile?: string;

  /**
   * The rules to run.
   *
   * @default ContainerImageChecks.defaultRules()
   */
  readonly rules?: IImageRule[];
}

/**
 * Synth-time checks for container-image Lambda functions, image assets and ECR repositories,
 * whether built with ContainerFunction or plain aws-cdk-lib.
 *
 * Added with the default priority (`Aspects.of(app).add(new ContainerImageChecks())`), the checks raise their
 * own priority to `AspectPriority.READONLY` on their first visit, so they run after Aspects that change the tree.
 *
 * @example
 * import { ContainerImageChecks } from 'cdk-container-function';
 *
 * ContainerImageChecks.applyTo(app, { strict: true });
 * // or: Aspects.of(app).add(new ContainerImageChecks(), { priority: AspectPriority.READONLY });
 */
export class ContainerImageChecks implements IAspect {
  /**
   * Adds the checks to a scope (usually the App) with `AspectPriority.READONLY`, so they run
   * after every Aspect that changes the tree.
   */
  public static applyTo(scope: IConstruct, props: ContainerImageChecksProps = {}): ContainerImageChecks {
    const checks = new ContainerImageChecks(props);
    Aspects.of(scope).add(checks, { priority: AspectPriority.READONLY });
    return checks;
  }

  /**
   * Suppresses a rule on a scope and all its children. Recorded as a CDK acknowledgement
   * (`Validations.acknowledge`, construct metadata) and in the template metadata of every
   * resource below the scope. A suppression that matches no finding is reported as info (CCF901).
   *
   * @param scope the construct (and children) the suppression applies to
   * @param ruleId the rule id, e.g. `CCF101`
   * @param reason why the finding does not apply; at least 10 characters
   */
  public static suppress(scope: IConstruct, ruleId: string, reason: string): void {
    addSuppression(scope, ruleId, reason);
  }

  /** A new instance of every built-in rule. */
  public static defaultRules(): IImageRule[] {
    // Every rule class of the rules barrel (lib/checks/rules/index.ts), with its default options, in order of id.
    return (Object.values(builtInRules) as unknown[])
      .filter((exported): exported is new () => IImageRule => typeof exported === 'function' && typeof exported.prototype?.check === 'function')
      .map(RuleClass => new RuleClass())
      .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  }

  private readonly engine: CheckEngine;
  private readonly defaultMaxImageSizeBytes?: number;
  private readonly findingsFile?: string;
  private readonly estimator = new SizeEstimator();
  private readonly collected: Finding[] = [];
  private discovery?: SubjectDiscovery;
  private measurer?: SynthMeasurer;
  /** Constructs already checked: a forced re-synth (as assertions do) must not report twice. */
  private readonly visited = new WeakSet<IConstruct>();
  private finished = false;

  constructor(props: ContainerImageChecksProps = {}) {
    const budget = props.defaultMaxImageSize;
    if (budget !== undefined && Token.isUnresolved(budget.toBytes())) {
      throw new Error('ContainerImageChecks: defaultMaxImageSize must be a literal size, not a token. Pass e.g. Size.mebibytes(512).');
    }
    if (props.findingsFile !== undefined && (path.isAbsolute(props.findingsFile) || props.findingsFile.split(/[\\/]/).includes('..'))) {
      throw new Error(`ContainerImageChecks: findingsFile '${props.findingsFile}' must be a file name inside the cloud assembly. Pass e.g. 'container-image-findings.json'.`);
    }
    this.defaultMaxImageSizeBytes = budget?.toBytes();
    this.findingsFile = props.findingsFile;
    this.engine = new CheckEngine(props.rules ?? ContainerImageChecks.defaultRules(), { strict: props.strict ?? false });
  }

  /** Checks one construct (called by CDK for every construct below the scope the Aspect is added to). */
  public visit(node: IConstruct): void {
    if (this.visited.has(node)) return;
    this.visited.add(node);
    if (!this.discovery) this.start(node);
    try {
      recordInTemplate(node, suppressionsOn(node));
      const subject = this.discovery!.subjectOf(node);
      if (!subject) return;
      subject._useSizeEstimator((s, dockerfile) => s.contextDirectory === undefined ? undefined
        : this.estimator.estimate(dockerfile, this.estimator.list(s.contextDirectory, s.contextIgnorePatterns)));
      this.measure(subject);
      for (const finding of this.engine.run(subject)) {
        CheckEngine.report(finding);
        this.collected.push(finding);
      }
    } catch (error) {
      Annotations.of(node).addWarningV2('cdk-container-function:CCF900',
        `CCF900 container image checks could not inspect ${node.node.path}: ${error instanceof Error ? error.message : String(error)}. Fix: report this; suppress CCF900 on the construct meanwhile`);
    }
  }

  /** First visit: the scope the Aspect was added to. End-of-run work is a validation of that scope, which CDK runs after all Aspects. */
  private start(root: IConstruct): void {
    this.raisePriority(root);
    // Index the whole tree: a function and the asset it uses may sit under different scopes.
    this.discovery = new SubjectDiscovery(root.node.root, { defaultMaxImageSizeBytes: this.defaultMaxImageSizeBytes });
    // Measured sizes are opt-in (context cdk-container-function:measure=true or CDK_CONTAINER_FUNCTION_MEASURE=1).
    this.measurer = new SynthMeasurer(measureRequested(root));
    root.node.addValidation({ validate: () => { this.finish(root); return []; } });
  }

  /** Gives a function built from an image asset of the app its measurement (when measuring) and a report row. */
  private measure(subject: ImageSubject): void {
    const asset = this.discovery!.imageAssetOf(subject);
    if (!asset) return;
    const measurement = this.measurer!.measure({
      construct: subject.construct, asset, estimatedBytes: subject.estimatedSizeBytes(), budgetBytes: subject.maxImageSizeBytes,
    });
    if (measurement) subject._useMeasurement(measurement);
  }

  /**
   * Added with `Aspects.of(app).add(checks)` (default priority), the checks would run before mutating Aspects of
   * lower scopes; raise them to READONLY. CDK re-sorts Aspects at every construct it visits after this one.
   */
  private raisePriority(root: IConstruct): void {
    for (const scope of root.node.scopes) {
      for (const application of Aspects.of(scope).applied) {
        if (application.aspect === this && application.priority === AspectPriority.DEFAULT) {
          application.priority = AspectPriority.READONLY;
        }
      }
    }
  }

  private finish(root: IConstruct): void {
    if (this.finished) return;
    this.finished = true;
    for (const construct of root.node.findAll()) {
      for (const suppression of suppressionsOn(construct)) {
        if (this.engine.usedSuppressions.has(suppressionKey(suppression))) continue;
        const message = `${UNUSED_SUPPRESSION} suppression of ${suppression.ruleId} on ${construct.node.path} matched no finding ('${suppression.reason}'). Fix: remove the suppression`;
        Annotations.of(construct).addInfo(message);
        this.collected.push({ ruleId: UNUSED_SUPPRESSION, level: RuleLevel.INFO, construct, message });
      }
    }
    if (this.findingsFile) this.writeFindings(root);
    const outdir = (Stage.isStage(root) ? root : Stage.of(root))?.outdir;
    if (outdir) this.measurer?.writeReport(root.node.root, outdir);
  }

  private writeFindings(root: IConstruct): void {
    const outdir = (Stage.isStage(root) ? root : Stage.of(root))?.outdir;
    if (!outdir) return;
    const findings = this.collected.map(f => ({
      ruleId: f.ruleId,
      level: f.level,
      path: f.construct.node.path,
      message: f.message,
      dockerfile: f.dockerfile,
      line: f.line,
      suppressed: f.suppressedBy !== undefined,
      suppressedBy: f.suppressedBy,
    }));
    fs.mkdirSync(outdir, { recursive: true });
    fs.writeFileSync(path.join(outdir, this.findingsFile!), JSON.stringify({ version: 1, findings }, undefined, 2));
  }
}
