import { check, engineFindings } from './helpers';
import {
  AddInsteadOfCopyRule, BuildSecretRule, CopyBeforeInstallRule, DeprecatedLambdaBaseImageRule, IImageRule, MissingLambdaCmdRule,
  PackageCacheRule, PipCacheRule, ShellFormCommandRule, UnpinnedBaseImageRule,
} from '../../lib/checks';

interface RuleCases {
  readonly rule: IImageRule;
  /** Dockerfiles the rule accepts. */
  readonly compliant: string[];
  /** Dockerfiles the rule rejects, with the 1-based lines of the expected findings. */
  readonly nonCompliant: Array<{ text: string; lines: Array<number | undefined>; props?: object; mentions?: string }>;
}

const PY = 'FROM public.ecr.aws/lambda/python:3.12\n';
const asOf = new Date('2026-11-27T00:00:00Z');

const CASES: RuleCases[] = [
  {
    rule: new UnpinnedBaseImageRule(),
    compliant: [
      PY,
      'FROM python:3.12-slim AS build\nFROM build\n',
      'FROM scratch\n',
      'FROM python@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef\n',
      'ARG BASE=python:3.12\nFROM $BASE\n',
      'ARG TAG\nFROM python:${TAG}\n',
      'FROM localhost:5000/team/base:1.4\n',
    ],
    nonCompliant: [
      { text: 'FROM python\n', lines: [1], mentions: 'FROM python has no tag' },
      { text: 'FROM python:3.12 AS build\nFROM public.ecr.aws/lambda/python:latest\n', lines: [2], mentions: "'latest'" },
      { text: 'FROM localhost:5000/team/base\n', lines: [1], mentions: 'localhost:5000/team/base' },
      { text: 'ARG TAG=latest\nFROM python:${TAG}\n', lines: [2], mentions: "FROM python:${TAG} (= python:latest) uses the mutable tag 'latest'" },
    ],
  },
  {
    rule: new BuildSecretRule(),
    compliant: [
      PY + 'ARG PIP_INDEX_URL\nRUN --mount=type=secret,id=pip pip install -r requirements.txt\n',
      'FROM python:3.12\nENV GPG_KEY=A035C8C19219BA821ECEA86B64E628F8D684696D\nARG SECRET_FILE=/run/secrets/token\n',
      PY + 'RUN curl https://example.com/file\n',
      PY + 'ARG INDEX_URL=https://pypi.example.com/simple\n',
    ],
    nonCompliant: [
      { text: PY + 'ARG PIP_INDEX_URL=https://user:password@pypi.example.com/simple\n', lines: [2], mentions: 'https://user:***@pypi.example.com' },
      { text: PY + 'ARG GITHUB_TOKEN\nENV DB_PASSWORD=hunter2\n', lines: [2, 3], mentions: 'DB_PASSWORD=***' },
      { text: PY + 'ARG AWS_SECRET_ACCESS_KEY\n', lines: [2] },
      { text: PY + 'ENV AWS_REGION=eu-west-1 KEY_ID=AKIAIOSFODNN7EXAMPLE\n', lines: [2], mentions: 'KEY_ID=AKIA*** contains an AWS access key id' },
      { text: PY + 'RUN aws configure set aws_access_key_id AKIAIOSFODNN7EXAMPLE\n', lines: [2], mentions: 'AKIA***' },
      { text: PY + 'RUN pip install --index-url https://bob:s3cr3t@pypi.example.com/simple x\n', lines: [2], mentions: 'bob:***@' },
      { text: PY + 'ARG PIP_INDEX_URL\nRUN pip install --no-cache-dir -r requirements.txt\n', lines: [2], props: { buildArgs: { PIP_INDEX_URL: 'https://user:password@pypi.example.com/simple' } }, mentions: 'build arg PIP_INDEX_URL=https://user:***@' },
      { text: PY, lines: [undefined], props: { buildArgs: { NPM_TOKEN: 'npm_abcdef' } }, mentions: 'NPM_TOKEN=***' },
      { text: PY + 'RUN NPM_TOKEN=npm_abcdef npm ci\n', lines: [2], mentions: 'sets NPM_TOKEN to a literal value (NPM_TOKEN=*** npm ci)' },
    ],
  },
  {
    rule: new PipCacheRule(),
    compliant: [
      PY + 'RUN pip install --no-cache-dir -r requirements.txt\n',
      PY + 'RUN --mount=type=cache,target=/root/.cache/pip pip install -r requirements.txt\n',
      PY + 'ENV PIP_NO_CACHE_DIR=1\nRUN pip install -r requirements.txt\n',
      PY + 'RUN uv pip install --system -r requirements.txt\n',
      PY + 'RUN echo pipeline install\n',
    ],
    nonCompliant: [
      { text: PY + 'RUN pip install -r requirements.txt\n', lines: [2], mentions: 'pip install -r requirements.txt' },
      { text: PY + 'RUN yum install -y gcc && \\\n    python3 -m pip install \\\n      numpy\n', lines: [2] },
      { text: 'FROM python:3.12 AS b\nRUN pip3 install x\nFROM b\nRUN pip install y\n', lines: [2, 4] },
    ],
  },
  {
    rule: new CopyBeforeInstallRule(),
    compliant: [
      PY + 'COPY requirements.txt .\nRUN pip install --no-cache-dir -r requirements.txt\nCOPY . .\n',
      'FROM node:22\nCOPY package*.json ./\nRUN npm ci\nCOPY . .\nRUN npm run build\n',
      PY + 'COPY . .\nRUN python -c "print(1)"\n',
    ],
    nonCompliant: [
      { text: PY + 'COPY . ${LAMBDA_TASK_ROOT}\nRUN pip install -r requirements.txt\n', lines: [2], mentions: "before 'pip install' (line 3)" },
      { text: 'FROM node:22\nWORKDIR /app\nCOPY ./ ./\nRUN npm install\n', lines: [3] },
      { text: 'FROM node:22 AS a\nCOPY . .\nRUN yarn install\nFROM python:3.12\nCOPY . .\nRUN poetry install\n', lines: [2, 5] },
    ],
  },
  {
    rule: new AddInsteadOfCopyRule(),
    compliant: [
      PY + 'COPY app.py .\n',
      PY + 'ADD vendor.tar.gz /opt/\n',
      PY + 'ADD --checksum=sha256:24454f830cdb571e2c4ad15481119c43b3cafd48dd869a9b2945d1036d1dc68d https://example.com/tool.tgz /opt/\n',
    ],
    nonCompliant: [
      { text: PY + 'ADD app.py ${LAMBDA_TASK_ROOT}\n', lines: [2], mentions: 'ADD app.py' },
      { text: PY + 'ADD https://example.com/tool.tgz /opt/\n', lines: [2], mentions: 'https://example.com/tool.tgz' },
      { text: PY + 'ADD https://u:pw@example.com/x /x\n', lines: [2], mentions: 'u:***@' },
    ],
  },
  {
    rule: new MissingLambdaCmdRule(),
    compliant: [
      PY + 'CMD ["app.handler"]\n',
      'FROM public.ecr.aws/lambda/provided:al2023\nCOPY bootstrap /var/runtime/\n',
      'FROM python:3.12\nCOPY app.py .\n',
      PY + 'ENTRYPOINT ["/opt/run.sh"]\n',
      'FROM public.ecr.aws/lambda/python:3.12 AS base\nCMD ["app.handler"]\nFROM base\nCOPY app.py .\n',
    ],
    nonCompliant: [
      { text: PY + 'COPY app.py ${LAMBDA_TASK_ROOT}\n', lines: [1], mentions: 'public.ecr.aws/lambda/python:3.12 has no CMD' },
      { text: 'FROM python:3.12 AS build\nRUN echo\nFROM public.ecr.aws/lambda/nodejs:22\nCOPY --from=build /x .\n', lines: [3] },
    ],
  },
  {
    rule: new ShellFormCommandRule(),
    compliant: [
      PY + 'CMD ["app.handler"]\n',
      'FROM python:3.12\nENTRYPOINT ["python", "-m", "app"]\n',
      PY,
    ],
    nonCompliant: [
      { text: PY + 'CMD app.handler\n', lines: [2], mentions: 'CMD ["app.handler"]' },
      { text: 'FROM python:3.12\nENTRYPOINT python -m app\nCMD --port 80\n', lines: [2, 3] },
    ],
  },
  {
    rule: new PackageCacheRule(),
    compliant: [
      'FROM debian:12\nRUN apt-get update && apt-get install -y curl && rm -rf /var/lib/apt/lists/*\n',
      PY + 'RUN dnf install -y gcc && dnf clean all\n',
      'FROM alpine:3.20\nRUN apk add --no-cache curl\n',
      'FROM debian:12\nRUN --mount=type=cache,target=/var/cache/apt --mount=type=cache,target=/var/lib/apt apt-get update && apt-get install -y curl\n',
    ],
    nonCompliant: [
      { text: 'FROM debian:12\nRUN apt-get update && apt-get install -y curl\n', lines: [2], mentions: 'apt-get' },
      { text: PY + 'RUN yum install -y gcc\n', lines: [2], mentions: 'yum/dnf' },
      { text: 'FROM alpine:3.20\nRUN apk add curl\n', lines: [2], mentions: 'apk' },
    ],
  },
  {
    rule: new DeprecatedLambdaBaseImageRule({ asOf }),
    compliant: [
      PY,
      'FROM public.ecr.aws/lambda/nodejs:22\n',
      'FROM public.ecr.aws/lambda/java:21\n',
      // Projected dates are not deprecations yet.
      'FROM public.ecr.aws/lambda/python:3.13\n',
      'FROM public.ecr.aws/lambda/dotnet:10\n',
      'FROM python:3.9\n',
    ],
    nonCompliant: [
      // Amazon Linux 2 based runtimes, deprecated with AL2 on 2026-06-30.
      { text: 'FROM public.ecr.aws/lambda/java:8.al2\n', lines: [1], mentions: 'java8.al2 runtime, deprecated by AWS Lambda on 2026-06-30' },
      { text: 'FROM public.ecr.aws/lambda/provided:al2\n', lines: [1], mentions: 'provided.al2 runtime' },
      { text: 'FROM public.ecr.aws/lambda/java:17\n', lines: [1], mentions: 'move to public.ecr.aws/lambda/java:21 (LambdaBaseImage.JAVA_21)' },
      { text: 'FROM public.ecr.aws/lambda/python:3.9\n', lines: [1], mentions: 'python3.9 runtime, deprecated by AWS Lambda on 2025-12-15' },
      { text: 'FROM public.ecr.aws/lambda/nodejs:20-x86_64\n', lines: [1], mentions: '2026-04-30' },
      { text: 'FROM amazon/aws-lambda-nodejs:18 AS x\nFROM public.ecr.aws/lambda/python:3.8.2024.01.05.10\n', lines: [1, 2] },
      { text: 'ARG PYTHON=3.12\nFROM public.ecr.aws/lambda/python:${PYTHON}\n', lines: [2], props: { buildArgs: { PYTHON: '3.9' } }, mentions: 'FROM public.ecr.aws/lambda/python:${PYTHON} (= public.ecr.aws/lambda/python:3.9)' },
      { text: 'ARG NODE=20\nFROM public.ecr.aws/lambda/nodejs:$NODE\n', lines: [2] },
    ],
  },
];

describe.each(CASES.map(c => [c.rule.id, c] as const))('%s', (id, cases) => {
  test.each(cases.compliant.map(text => [text]))('compliant: %j', text => {
    expect(check(cases.rule, text)).toEqual([]);
  });

  test.each(cases.nonCompliant.map(c => [c.text, c] as const))('non-compliant: %j', (_text, c) => {
    const findings = check(cases.rule, c.text, c.props as any);
    expect(findings.map(f => f.line)).toEqual(c.lines);
    for (const finding of findings) {
      expect(finding.message.length).toBeGreaterThan(10);
      expect(finding.message).not.toMatch(/[\r\n]/);
      expect(finding.fix.length).toBeGreaterThan(10);
      expect(finding.message).not.toMatch(/password@|s3cr3t|hunter2|pw@|npm_abcdef|IOSFODNN7/);
    }
    if (c.mentions) expect(findings.map(f => `${f.message} ${f.fix}`).join('\n')).toContain(c.mentions);
  });

  test('suppressed by a pragma on the instruction before', () => {
    const first = cases.nonCompliant.find(c => c.lines.every(l => l !== undefined))!;
    const lines = first.text.split('\n');
    // Insert a pragma before every line with a finding (from the bottom so line numbers stay valid).
    for (const line of [...new Set(first.lines as number[])].sort((a, b) => b - a)) {
      lines.splice(line - 1, 0, `# ccf-ignore=${id} accepted for this test fixture`);
    }
    const findings = engineFindings(lines.join('\n'), [cases.rule], first.props as any);
    expect(findings.length).toBeGreaterThan(0);
    expect(findings.every(f => f.suppressedBy?.startsWith('pragma at Dockerfile:'))).toBe(true);
  });

  test('engine message starts with the id and names the Dockerfile line', () => {
    const first = cases.nonCompliant.find(c => c.lines[0] !== undefined)!;
    const [finding] = engineFindings(first.text, [cases.rule], first.props as any);
    expect(finding.message).toMatch(new RegExp(`^${id} Dockerfile:${first.lines[0]}: .+ Fix: .+`));
    expect(finding.suppressedBy).toBeUndefined();
  });
});

describe('pragmas', () => {
  test('cover only the next instruction', () => {
    const text = 'FROM python\n# ccf-ignore=CCF101 pinned by the platform team\nFROM node\n';
    const findings = engineFindings(text, [new UnpinnedBaseImageRule()]);
    expect(findings.map(f => [f.line, f.suppressedBy !== undefined])).toEqual([[1, false], [3, true]]);
  });

  test('cover every line of a continued instruction and several ids', () => {
    const text = PY + '# ccf-ignore=CCF103,CCF108 layer is squashed later\nRUN yum install -y gcc && \\\n  pip install x\n';
    const findings = engineFindings(text, [new PipCacheRule(), new PackageCacheRule()]);
    expect(findings).toHaveLength(2);
    expect(findings.every(f => f.suppressedBy !== undefined)).toBe(true);
  });

  test('that match no finding are reported as info', () => {
    const text = '# ccf-ignore=CCF101 pinned by the platform team\nFROM python:3.12\n';
    const findings = engineFindings(text, [new UnpinnedBaseImageRule()]);
    expect(findings.map(f => [f.ruleId, f.level, f.line])).toEqual([['CCF901', 'info', 1]]);
    expect(findings[0].message).toBe("CCF901 Dockerfile:1: '# ccf-ignore=CCF101' matched no finding on the next instruction. Fix: remove the pragma");
  });

  test('report each id of a multi-id pragma that matched nothing, and only those', () => {
    // Only CCF103 (pip cache) has a finding on the next instruction; CCF108 and CCF101 answer for themselves.
    const text = PY + '# ccf-ignore=CCF108,CCF103,CCF101 layer is squashed later\nRUN pip install x\n';
    const findings = engineFindings(text, [new PipCacheRule(), new PackageCacheRule(), new UnpinnedBaseImageRule()]);
    expect(findings.filter(f => f.ruleId === 'CCF103').map(f => f.suppressedBy !== undefined)).toEqual([true]);
    expect(findings.filter(f => f.ruleId === 'CCF901').map(f => [f.level, f.line, f.message])).toEqual([
      ['info', 2, "CCF901 Dockerfile:2: CCF108 in '# ccf-ignore=CCF108,CCF103,CCF101' matched no finding on the next instruction. Fix: remove CCF108 from the pragma"],
      ['info', 2, "CCF901 Dockerfile:2: CCF101 in '# ccf-ignore=CCF108,CCF103,CCF101' matched no finding on the next instruction. Fix: remove CCF101 from the pragma"],
    ]);
  });

  test('where every id matched report nothing', () => {
    const text = PY + '# ccf-ignore=CCF103,CCF108 layer is squashed later\nRUN yum install -y gcc && pip install x\n';
    expect(engineFindings(text, [new PipCacheRule(), new PackageCacheRule()]).filter(f => f.ruleId === 'CCF901')).toEqual([]);
  });

  test('without a reason suppress nothing and are reported', () => {
    const text = '# ccf-ignore=CCF101\nFROM python\n';
    const findings = engineFindings(text, [new UnpinnedBaseImageRule()]);
    expect(findings.map(f => [f.ruleId, f.line, f.suppressedBy])).toEqual([['CCF101', 2, undefined], ['CCF902', 1, undefined]]);
  });
});
