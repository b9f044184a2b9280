import vue from '@vitejs/plugin-vue'
import { defineConfig } from 'vitest/config'

// Three projects: fast unit/contract tests in Node, renderer tests in jsdom, and the lab's
// end-to-end tests against real sshd, dockerd and Chromium (root on Linux only; tests/run.mjs
// decides whether they run and says why not).
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          environment: 'node',
          include: ['tests/unit/**/*.test.ts', 'tests/contract/**/*.test.ts'],
          // prints how many agent and main modules these suites load without root
          globalSetup: ['tests/unit/global-setup.ts'],
        },
      },
      {
        plugins: [vue()],
        test: {
          name: 'renderer',
          environment: 'jsdom',
          include: ['tests/renderer/**/*.test.ts'],
        },
      },
      {
        test: {
          name: 'lab',
          environment: 'node',
          include: ['tests/lab/**/*.test.ts'],
          globalSetup: ['tests/lab/global-setup.ts'],
          // the lab is one shared set of hosts: its test files run one after another
          fileParallelism: false,
          testTimeout: 60_000,
          hookTimeout: 180_000,
        },
      },
    ],
  },
})
