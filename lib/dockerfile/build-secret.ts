/**
 * How a build secret reaches the dependency installers: every kind is mounted with
 * `RUN --mount=type=secret` on the install steps only, so it is never in ARG, ENV or a layer.
 */
export enum BuildSecretKind {
  /** An `.npmrc` (registry tokens) for npm, yarn and pnpm: `NPM_CONFIG_USERCONFIG`. */
  NPMRC = 'npmrc',
  /** A PEM CA bundle (corporate TLS proxy, private registry): npm `cafile`, pip `cert`, cargo/go/curl trust. */
  CA_BUNDLE = 'ca-bundle',
  /** A file whose content is a pip index URL with credentials: `PIP_INDEX_URL` for the install command only. */
  PIP_INDEX_URL = 'pip-index-url',
  /** A `pip.conf`: `PIP_CONFIG_FILE`. */
  PIP_CONFIG = 'pip-config',
  /** A Maven `settings.xml`: `mvn -s`. */
  MAVEN_SETTINGS = 'maven-settings',
  /** Any file, mounted at `/run/secrets/<id>`; optionally its path in an environment variable. */
  FILE = 'file',
}

/** Options for {@link SourceBuildSecret.file}. */
export interface SourceBuildSecretFileOptions {
  /**
   * Name of an environment variable set (for the install command only) to the secret's mounted path.
   * @default - no variable; the file is at `/run/secrets/<id>`
   */
  readonly pathVariable?: string;
}

/**
 * A secret file given to the dependency install steps of a generated Dockerfile with BuildKit
 * (`docker build --secret id=...,src=...`). The file is read on the machine that runs
 * `cdk deploy`/`cdk synth` (keep it out of the source directory).
 */
export class SourceBuildSecret {
  /** An `.npmrc` with registry tokens (id `npmrc`). */
  public static npmrc(src: string): SourceBuildSecret {
    return new SourceBuildSecret('npmrc', src, BuildSecretKind.NPMRC);
  }

  /** A PEM CA bundle trusted by npm, pip, cargo and go while installing (id `ca-bundle`). */
  public static caBundle(src: string): SourceBuildSecret {
    return new SourceBuildSecret('ca-bundle', src, BuildSecretKind.CA_BUNDLE);
  }

  /** A file holding a pip index URL, e.g. `https://user:token@pypi.example.com/simple` (id `pip-index-url`). */
  public static pipIndexUrl(src: string): SourceBuildSecret {
    return new SourceBuildSecret('pip-index-url', src, BuildSecretKind.PIP_INDEX_URL);
  }

  /** A `pip.conf` (id `pip-config`). */
  public static pipConfig(src: string): SourceBuildSecret {
    return new SourceBuildSecret('pip-config', src, BuildSecretKind.PIP_CONFIG);
  }

  /** A Maven `settings.xml` with repository credentials (id `maven-settings`). */
  public static mavenSettings(src: string): SourceBuildSecret {
    return new SourceBuildSecret('maven-settings', src, BuildSecretKind.MAVEN_SETTINGS);
  }

  /** Any file, mounted at `/run/secrets/<id>` on the install steps. */
  public static file(id: string, src: string, options: SourceBuildSecretFileOptions = {}): SourceBuildSecret {
    return new SourceBuildSecret(id, src, BuildSecretKind.FILE, options.pathVariable);
  }

  private constructor(
    /** Secret id (`docker build --secret id=<id>`). */
    public readonly id: string,
    /** Path of the secret file on the building machine. */
    public readonly src: string,
    /** How the secret is handed to the installers. */
    public readonly kind: BuildSecretKind,
    /** Environment variable set to the mounted path, for `file()` secrets. */
    public readonly pathVariable?: string,
  ) {}
}
