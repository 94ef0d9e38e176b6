/**
 * Public surface of the edge URL signer (nginx secure_link).
 */
export {
  appendSignature,
  signEdgeUrl,
  type AppendSignatureOptions,
  type EdgeUrlSignature,
  type SignEdgeUrlOptions,
} from './sign-edge-url.js';
export { nginxUriBytes } from './nginx-uri-path.js';
