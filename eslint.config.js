import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/', 'out/', 'dist/', 'modeling/', 'resources/', '**/*.cjs'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { process: 'readonly', console: 'readonly', Buffer: 'readonly' } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      // The engine must stay runnable in a plain Node process and in an Electron utility process.
      'no-restricted-imports': ['error', { paths: [{ name: 'electron', message: 'No Electron import outside electron/.' }] }],
    },
  },
  { files: ['electron/**'], rules: { 'no-restricted-imports': 'off' } },
);
