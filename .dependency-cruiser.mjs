/**
 * The floors of hlscdn (docs/architecture.md), checked in CI by `npm run deps`:
 * no import cycles; core imports no component; components reach each other
 * only through their index.ts; the composed configuration, the CLI and the
 * local stack stand above every component and nothing below imports them.
 */
const components = '(origin-store|edge-registry|edge-health|edge|transcoder|rewriter|autoscaler|dashboard)';

export default {
  forbidden: [
    {
      name: 'no-circular',
      comment: 'An import cycle means something lives on the wrong floor.',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    {
      name: 'core-is-the-ground-floor',
      comment: 'src/core is shared plumbing: it imports no component and nothing above.',
      severity: 'error',
      from: { path: '^src/core/' },
      to: { path: '^src/(?!core/)' },
    },
    {
      name: 'components-meet-at-index',
      comment: "A component uses another only through that component's index.ts, its public surface.",
      severity: 'error',
      from: { path: `^src/${components}/`, pathNot: '(\\.test\\.ts|/test-support/.*)$' },
      to: { path: `^src/${components}/`, pathNot: ['^src/$1/', `^src/${components}/index\\.ts$`] },
    },
    {
      name: 'composition-stays-on-top',
      comment: 'The composed config, the CLI and the local stack compose components; no component imports them.',
      severity: 'error',
      from: { path: `^src/(core|${components.slice(1, -1)})/` },
      to: { path: '^src/(config|cli|local-stack)/' },
    },
    {
      name: 'no-test-support-in-product',
      comment: 'Test helpers never ship: product code does not import test-support or test files.',
      severity: 'error',
      from: { path: '^src/', pathNot: '(\\.test\\.ts|/test-support/.*)$' },
      to: { path: '(/test-support/|\\.test\\.ts$)' },
    },
  ],
  options: {
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    doNotFollow: { path: 'node_modules' },
    exclude: { path: 'node_modules' },
  },
};
