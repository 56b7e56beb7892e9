// Jest: TypeScript through SWC (decorator metadata on, for TypeORM entities); both DB engines probed once.
/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  // content-disposition (@fastify/static) and cookie 2 (fastify's inject) ship only ES modules; jest runs CommonJS.
  transformIgnorePatterns: ['/node_modules/(?!(content-disposition|cookie)/)'],
  transform: {
    '/node_modules/(content-disposition|cookie)/.+\\.js$': [
      '@swc/jest',
      { jsc: { parser: { syntax: 'ecmascript' }, target: 'es2022' }, module: { type: 'commonjs' } },
    ],
    '^.+\\.ts$': [
      '@swc/jest',
      {
        jsc: {
          parser: { syntax: 'typescript', decorators: true },
          transform: { legacyDecorator: true, decoratorMetadata: true },
          target: 'es2022',
        },
        module: { type: 'commonjs' },
      },
    ],
  },
  globalSetup: '<rootDir>/test/helpers/global-setup.ts',
  testTimeout: 30000,
};
