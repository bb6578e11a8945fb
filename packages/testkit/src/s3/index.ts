export {
  S3RVER_CREDENTIALS,
  type S3TestServer,
  type StartS3ServerOptions,
  startS3Server,
} from './s3-test-server';
export { parseAmzDate, sigV4Signature, uriEncode } from './sigv4';
export {
  type RecordedS3Request,
  type S3RequestAuthorization,
  type SigV4VerifyingProxy,
  type SigV4VerifyingProxyOptions,
  startSigV4VerifyingProxy,
} from './sigv4-verifying-proxy';
