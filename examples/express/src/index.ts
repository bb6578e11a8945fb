export {
  API_PREFIX,
  type CreateAppOptions,
  createApp,
  DEFAULT_LIMITS,
  type HostLimits,
} from './app';
export { buildOpenApiDocument, type OpenApiDocument } from './openapi';
export { PROBLEM_TYPE, type Problem, toProblem } from './problem';
