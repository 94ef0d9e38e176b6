export { startLocalStack, type LocalStack, type LocalStackOptions } from './local-stack.js';
