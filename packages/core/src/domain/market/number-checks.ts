import { type VBucketsError, validationError } from '../../errors';

// Each check returns the VALIDATION error for `value` at `path`, or undefined when it is fine,
// so that callers can chain several with `??` and return the first problem.

function isNumber(value: unknown): value is number {
  return typeof value === 'number' && !Number.isNaN(value);
}

function invalid(path: string, requirement: string, value: unknown): VBucketsError {
  return validationError(`Invalid ${path}: must be ${requirement} (got ${String(value)})`, {
    path,
  });
}

export function checkPositiveFinite(value: unknown, path: string): VBucketsError | undefined {
  if (isNumber(value) && Number.isFinite(value) && value > 0) return undefined;
  return invalid(path, 'a finite number greater than 0', value);
}

export function checkNonNegativeFinite(value: unknown, path: string): VBucketsError | undefined {
  if (isNumber(value) && Number.isFinite(value) && value >= 0) return undefined;
  return invalid(path, 'a finite number of at least 0', value);
}

/** Infinity passes: it is how callers switch a cap off. */
export function checkNonNegativeOrInfinite(
  value: unknown,
  path: string,
): VBucketsError | undefined {
  if (isNumber(value) && value >= 0) return undefined;
  return invalid(path, 'a number of at least 0 (Infinity for no limit)', value);
}

export function checkUnitInterval(value: unknown, path: string): VBucketsError | undefined {
  if (isNumber(value) && value >= 0 && value <= 1) return undefined;
  return invalid(path, 'a number between 0 and 1', value);
}

export function checkOpenUnitInterval(value: unknown, path: string): VBucketsError | undefined {
  if (isNumber(value) && value > 0 && value < 1) return undefined;
  return invalid(path, 'a number strictly between 0 and 1', value);
}
