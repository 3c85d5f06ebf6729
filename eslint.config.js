// Type-aware lint for every workspace. The per-package `no-restricted-imports`
// rules keep the layering one way: model < template < core < store-fs <
// server < bench, with client depending on model only and web on client.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const layers = {
  model: ['template', 'core', 'store-fs', 'server', 'client', 'web', 'bench'],
  template: ['model', 'core', 'store-fs', 'server', 'client', 'web', 'bench'],
  core: ['store-fs', 'server', 'client', 'web', 'bench'],
  'store-fs': ['server', 'client', 'web', 'bench'],
  client: ['template', 'core', 'store-fs', 'server', 'web', 'bench'],
  server: ['web', 'bench'],
};

const layerRules = Object.entries(layers).map(([pkg, forbidden]) => ({
  files: [`packages/${pkg}/src/**/*.ts`],
  rules: {
    'no-restricted-imports': [
      'error',
      {
        patterns: forbidden.map((name) => ({
          group: [`@beaker-integrations/${name}`, `@beaker-integrations/${name}/*`],
          message: `packages/${pkg} must not import ${name}: imports go down the layers only.`,
        })),
      },
    ],
  },
}));

export default tseslint.config(
  { ignores: ['**/dist/**', '**/node_modules/**', 'packages/web/**', 'artifacts/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: {
        project: ['./tsconfig.test.json', './packages/*/tsconfig.json'],
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': [
        'error',
        {
          allowForKnownSafeCalls: [
            { from: 'package', package: 'node:test', name: ['test', 'it', 'describe', 'suite'] },
          ],
        },
      ],
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      // Provider methods are async by contract even when an implementation
      // has nothing to await, so that throws become rejections.
      '@typescript-eslint/require-await': 'off',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', ignoreRestSiblings: true },
      ],
      'no-console': 'error',
    },
  },
  {
    files: ['**/*.js', '**/*.mjs'],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: {
      ...tseslint.configs.disableTypeChecked.languageOptions,
      globals: { process: 'readonly', console: 'readonly', URL: 'readonly' },
    },
  },
  {
    files: ['scripts/**', 'packages/*/test/**', 'packages/bench/**', 'packages/server/src/cli*.ts'],
    rules: { 'no-console': 'off' },
  },
  ...layerRules,
);
