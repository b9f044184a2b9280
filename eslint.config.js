import js from '@eslint/js'
import pluginVue from 'eslint-plugin-vue'
import tseslint from 'typescript-eslint'

export default tseslint.config(
  { ignores: ['out/**', 'node_modules/**', 'bench/results/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  ...pluginVue.configs['flat/recommended'],
  {
    files: ['**/*.vue'],
    languageOptions: { parserOptions: { parser: tseslint.parser } },
  },
  {
    rules: {
      // TypeScript checks names; this rule only knows browser or Node globals, not both
      'no-undef': 'off',
      // small files are a design rule (DESIGN.md): one thing per file
      'max-lines': ['error', { max: 300, skipBlankLines: true, skipComments: true }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'vue/max-attributes-per-line': 'off',
      'vue/singleline-html-element-content-newline': 'off',
      'vue/html-self-closing': 'off',
    },
  },
  {
    files: ['**/*.vue'],
    rules: { 'max-lines': ['error', { max: 200, skipBlankLines: true, skipComments: true }] },
  },
  {
    // the renderer only knows the typed API: no Node, Electron or wire code
    files: ['renderer/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: ['node:*', 'electron', 'ssh2', '**/protocol/wire/*', '**/main/*', '**/agent/*'] },
      ],
    },
  },
  {
    // the core runs under plain Node: only main/electron may import electron
    files: ['main/core/**', 'main/web/**'],
    rules: { 'no-restricted-imports': ['error', { paths: ['electron'], patterns: ['**/renderer/*'] }] },
  },
  {
    // the layers are one-way (DESIGN.md): the agent runs alone on a host and never imports main
    files: ['agent/**'],
    rules: {
      'no-restricted-imports': ['error', { paths: ['electron'], patterns: ['**/main/*', '**/renderer/*'] }],
    },
  },
  {
    // the protocol is what every layer shares, so it imports none of them; its schemas are pure
    // TypeScript (the renderer loads them), only the wire may use Node's streams
    files: ['protocol/**'],
    rules: {
      'no-restricted-imports': ['error', { paths: ['electron', 'ssh2', 'vue', 'dockerode'], patterns: ['**/main/*', '**/agent/*', '**/renderer/*'] }],
    },
  },
  {
    files: ['protocol/*.ts', 'protocol/methods/**'],
    rules: {
      'no-restricted-imports': ['error', { paths: ['electron', 'ssh2', 'vue', 'dockerode'], patterns: ['node:*', '**/wire/*', '**/main/*', '**/agent/*', '**/renderer/*'] }],
    },
  },
  {
    files: ['tests/**', 'scripts/**', 'bench/**'],
    rules: { 'max-lines': ['error', { max: 400, skipBlankLines: true, skipComments: true }] },
  },
)
