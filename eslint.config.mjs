// ESLint flat config: typescript-eslint recommended rules and the one-way layers (eslint-plugin-boundaries); formatting left to Prettier.
import js from '@eslint/js';
import boundaries from 'eslint-plugin-boundaries';
import tseslint from 'typescript-eslint';
import prettier from 'eslint-config-prettier';

// One-way layers, bottom to top: a folder imports only from the layers below it. In the layers marked
// `siblings`, the folders may also import each other; elsewhere only themselves (src/notify never
// imports commands, src/web never a chat transport, one transport never another). scripts/ and test/
// are outside the layers.
const LAYERS = [
  {
    name: 'base',
    folders: ['config', 'entities', 'src/auth', 'src/types', 'src/workers'],
    files: [
      'src/errors.ts',
      'src/log.ts',
      'src/registry.ts',
      'src/retry.ts',
      'src/time.ts',
      'src/teardown.ts',
    ],
    siblings: true,
  },
  { name: 'database', folders: ['src/db', 'src/cluster'], siblings: true },
  {
    name: 'ingest, read models, charts and other services',
    folders: [
      'src/ingest',
      'src/queries',
      'charts',
      'src/render',
      'src/simulate',
      'src/agent',
      'src/scheduler',
      'src/present',
      'src/outbox',
    ],
  },
  { name: 'domain', folders: ['src/alarms', 'src/admin', 'src/nlu'] },
  { name: 'presentation', folders: ['commands', 'src/notify'] },
  // What every chat transport shares: the message path, the outgoing queue, the ChatTransport interface.
  { name: 'chat machinery', folders: ['src/chat'] },
  {
    name: 'transports',
    folders: [
      'src/transports/wechaty',
      'src/transports/wecom',
      'src/transports/console',
      'src/web',
    ],
  },
  {
    name: 'jobs and composition',
    folders: ['src/jobs', 'src/cli', 'src/demo'],
    files: ['src/main.ts', 'src/alarm-path.ts', 'src/chat-transports.ts'],
    siblings: true,
  },
];

// Where the layers apply (test/ and scripts/ may import anything).
const LAYERED = [
  'config/**/*.ts',
  'entities/**/*.ts',
  'charts/**/*.ts',
  'commands/**/*.ts',
  'src/**/*.ts',
];
// A folder is an element (its type is its path); a file at the root of src/ gets a file category of
// its own path instead, since elements match folders only. A message shows whichever is set.
const layerSelector = (l) => [
  { element: { types: l.folders } },
  ...(l.files ? [{ file: { categories: l.files } }] : []),
];
const WHO = '{{from.type}}{{from.file.categories}}';
const WHAT = '{{to.type}}{{to.file.categories}}';
// One policy per pair of layers that must not meet, so that the message names both layers.
const layerPolicies = LAYERS.flatMap((from, i) =>
  LAYERS.slice(from.siblings ? i + 1 : i).map((to) => {
    const j = LAYERS.indexOf(to);
    const message =
      i === j
        ? `One-way layers: ${WHO} may not import ${WHAT}: both are layer ${i + 1} (${from.name}), whose folders do not import each other.`
        : `One-way layers: ${WHO} (layer ${i + 1}, ${from.name}) may not import ${WHAT} (layer ${j + 1}, ${to.name}): a layer imports only the layers below it.`;
    return { from: layerSelector(from), disallow: { to: layerSelector(to) }, message };
  }),
);

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', 'data/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  prettier,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      'no-restricted-properties': [
        'error',
        { object: 'process', property: 'env', message: 'Read the environment only in config/.' },
      ],
    },
  },
  {
    files: LAYERED,
    plugins: { boundaries },
    settings: {
      'import/resolver': { typescript: { project: './tsconfig.json' } },
      'boundaries/include': LAYERED,
      'boundaries/elements': LAYERS.flatMap((l) =>
        l.folders.map((f) => ({ type: f, pattern: f, partialMatch: false })),
      ),
      'boundaries/files': LAYERS.flatMap((l) =>
        (l.files ?? []).map((f) => ({ category: f, pattern: f })),
      ),
    },
    rules: {
      'boundaries/dependencies': ['error', { default: 'allow', policies: layerPolicies }],
      // A new folder or root file has to be given a layer above.
      'boundaries/no-unknown-files': 'error',
    },
  },
  {
    files: ['config/**/*.ts', 'jest.config.js', 'test/helpers/**/*.ts'],
    rules: { 'no-restricted-properties': 'off' },
  },
  {
    files: ['**/*.js'],
    languageOptions: {
      globals: {
        module: 'writable',
        require: 'readonly',
        process: 'readonly',
        __dirname: 'readonly',
      },
    },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
