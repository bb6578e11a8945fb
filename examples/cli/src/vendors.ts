// The vendor adapters are loaded only when a setting asks for one: each brings its vendor's SDK,
// which costs a process 20-25 MB of memory and a slower start (measured on the Express host:
// 132 MB resident when idle with all three loaded).

/** Claude (`@vbuckets/anthropic`): the provider, the market analyzer and the thumbnail scorer. */
export const loadAnthropic = () => import('@vbuckets/anthropic');

/** Gemini (`@vbuckets/gemini`): the categorization provider. */
export const loadGemini = () => import('@vbuckets/gemini');

/** S3, R2 and MinIO (`@vbuckets/r2`): the blob store when `--storage s3://…`. */
export const loadS3 = () => import('@vbuckets/r2');
